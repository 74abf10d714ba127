import Testing

@testable import Store

private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

@Suite("Root paths")
struct RootPathsTests {
    let paths = RootPaths(mounts: ["nas": b("/mnt/photos"), "deep": b("/mnt/photos/2024/cam")])

    @Test("a local path under a mount is stored relative to its root, and reads back")
    func roundTrip() {
        #expect(paths.stored(b("/mnt/photos/x/a.jpg")) == b("nas:x/a.jpg"))
        #expect(paths.stored(b("/mnt/photos")) == b("nas:"))
        #expect(paths.local(b("nas:x/a.jpg")) == b("/mnt/photos/x/a.jpg"))
        #expect(paths.local(b("nas:")) == b("/mnt/photos"))
        // The deepest mount wins.
        #expect(paths.stored(b("/mnt/photos/2024/cam/1.jpg")) == b("deep:1.jpg"))
        #expect(paths.local(b("deep:1.jpg")) == b("/mnt/photos/2024/cam/1.jpg"))
    }

    @Test("unnamed roots and roots not mounted here pass through unchanged")
    func passThrough() {
        #expect(paths.stored(b("/mnt/photosX/a.jpg")) == b("/mnt/photosX/a.jpg"))
        #expect(paths.stored(b("/home/u/a.jpg")) == b("/home/u/a.jpg"))
        #expect(paths.local(b("/home/u/a.jpg")) == b("/home/u/a.jpg"))
        #expect(paths.local(b("other:a.jpg")) == b("other:a.jpg"))
        #expect(paths.stored(b("other:a.jpg")) == b("other:a.jpg"))
        #expect(RootPaths.unmountedRoot(b("other:a/b.jpg")) == "other")
        #expect(RootPaths.unmountedRoot(b("/a:b/c.jpg")) == nil)
        #expect(RootPaths.unmountedRoot(b("a/b:c.jpg")) == nil)
    }

    @Test("ranges under a folder cover its stored prefix and the named roots mounted below it")
    func ranges() {
        let root = paths.storedRanges(under: b("/mnt/photos"))
        #expect(root.count == 2)
        #expect(root[0].low == b("nas:") && root[0].high == b("nas;"))
        #expect(root[1].low == b("deep:") && root[1].high == b("deep;"))
        let sub = paths.storedRanges(under: b("/mnt/photos/x"))
        #expect(sub.count == 1 && sub[0].low == b("nas:x/") && sub[0].high == b("nas:x0"))
        let above = paths.storedRanges(under: b("/mnt"))
        #expect(above.map(\.low) == [b("/mnt/"), b("deep:"), b("nas:")])
        #expect(RootPaths(mounts: [:]).storedRanges(under: b("/p")).map(\.low) == [b("/p/")])
    }
}
