import Foundation
import PicseekCore
import PicseekTestSupport
import Testing

@testable import Library
@testable import Store

private let needsServer = Testing.ConditionTrait.enabled(
    if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason))

/// One NAS's photos, written into a folder standing for one machine's mount point; the same
/// bytes and times in every copy, as two machines mounting one NAS see them.
private final class NASCopy {
    let tree = TempTree()
    /// The folder's canonical path, as the indexer records it.
    let root: [UInt8]
    var rootString: String { String(decoding: root, as: UTF8.self) }

    init() {
        for (name, words) in [
            ("a.jpg", "red car"), ("sub/b.jpg", "blue sky"), ("sub/c.jpg", "tree"),
        ] {
            tree.write(name, words)
            tree.setMtime(name, seconds: 1_700_000_000)
        }
        root = (try? RawPath.canonical(tree.root).get()) ?? tree.root
    }

    func path(_ relative: String) -> [UInt8] { RawPath.join(root, Array(relative.utf8)) }
}

private func nasCopy() -> NASCopy { NASCopy() }

private func indexer(_ store: any PhotoIndex, _ embedder: FakeEmbedder) -> Indexer {
    Indexer(
        store: store, embedder: embedder, processor: Fakes.processor,
        encodeThumbnail: Fakes.rawThumbnail)
}

private func text(_ path: [UInt8]) -> String { String(decoding: path, as: UTF8.self) }

/// The stored paths of every photo, as the database holds them.
private func storedPaths(_ store: PostgresStore) throws -> [String] {
    try store.withConnection { conn in
        let rows = try conn.execute("SELECT path FROM picseek.photos ORDER BY path")
        return (0..<rows.count).map { text(rows.bytes($0, 0) ?? []) }
    }
}

@Suite("Named roots on PostgreSQL", .serialized)
struct NamedRootsTests {
    @Test(
        "one NAS mounted at two folders on two machines is one set of photos under each folder",
        needsServer)
    func twoMachines() throws {
        let url = try PostgresTestServer.freshDatabase()
        let (mountA, mountB) = (nasCopy(), nasCopy())
        let storeA = try PostgresStore.open(url: url, host: "machine-a")
        try Indexer.nameRoot(mountA.root, name: "nas", store: storeA)
        let first = try indexer(storeA, FakeEmbedder()).run(roots: [mountA.root])
        #expect(first.added == 3)

        let storeB = try PostgresStore.open(url: url, host: "machine-b")
        try Indexer.nameRoot(mountB.root, name: "nas", store: storeB)
        let embedderB = FakeEmbedder()
        let second = try indexer(storeB, embedderB).run(roots: [mountB.root])
        #expect(second.added == 0 && second.unchanged == 3 && second.removed == 0)
        #expect(embedderB.imageCount == 0)
        #expect(try storedPaths(storeB) == ["nas:a.jpg", "nas:sub/b.jpg", "nas:sub/c.jpg"])

        // Each machine reads the photos under its own mount point.
        let model = try #require(try storeB.models().first)
        let underB = try storeB.loadVectors(model: model).paths.map(text).sorted()
        #expect(underB == ["a.jpg", "sub/b.jpg", "sub/c.jpg"].map { mountB.rootString + "/" + $0 })
        let underA = try storeA.allPhotos().map { text($0.path) }
        #expect(underA == ["a.jpg", "sub/b.jpg", "sub/c.jpg"].map { mountA.rootString + "/" + $0 })
        // The folder filter of a search follows the mount too.
        let query = FakeEmbedder().project(Fakes.histogram(Array("blue sky".utf8)))
        let inSub = try storeB.nearest(
            model: model, query: query, top: 5, folder: mountB.path("sub"))
        #expect(inSub.count == 2)
        let bestID = try #require(inSub.first).photoID
        let best = try #require(try storeB.photo(id: bestID))
        #expect(best.path == mountB.path("sub/b.jpg"))
        #expect(try storeB.photo(path: mountB.path("a.jpg")) != nil)

        // Both machines' mounts are recorded with the one root.
        let root = try #require(try storeB.roots().first)
        #expect(try storeB.roots().count == 1)
        #expect(root.name == "nas" && root.path == mountB.root)
        #expect(
            root.mounts == [
                RootMount(host: "machine-a", path: mountA.root),
                RootMount(host: "machine-b", path: mountB.root),
            ])
    }

    @Test(
        "a machine without the mount shows nas:relative paths with thumbnails; opening says so",
        needsServer)
    func unmountedMachine() throws {
        let url = try PostgresTestServer.freshDatabase()
        let mount = nasCopy()
        let storeA = try PostgresStore.open(url: url, host: "machine-a")
        try Indexer.nameRoot(mount.root, name: "nas", store: storeA)
        _ = try indexer(storeA, FakeEmbedder()).run(roots: [mount.root])

        let storeC = try PostgresStore.open(url: url, purpose: .read, host: "machine-c")
        let photos = try storeC.allPhotos()
        #expect(photos.map { text($0.path) } == ["nas:a.jpg", "nas:sub/b.jpg", "nas:sub/c.jpg"])
        for photo in photos {
            let hash = try #require(photo.contentHash)
            #expect(try storeC.thumbnails.get(hash: hash) != nil)
            #expect(RootPaths.unmountedRoot(photo.path) == "nas")
        }
        let model = try #require(try storeC.models().first)
        #expect(try storeC.loadVectors(model: model).paths.map(text).first == "nas:a.jpg")
        #expect(try storeC.photo(path: Array("nas:sub/b.jpg".utf8))?.id == photos[1].id)
        let root = try #require(try storeC.roots().first)
        #expect(root.path == Array("nas:".utf8))

        let lines = StatusReport.namedRootLines(
            root, name: "nas", details: "last scanned now", host: "machine-c")
        #expect(lines.first == "  nas: not mounted on this machine (machine-c)  (last scanned now)")
        #expect(lines.dropFirst().first == "    nas on machine-a: " + mount.rootString)
        let here = StatusReport.namedRootLines(root, name: "nas", details: "x", host: "machine-a")
        #expect(here.first == "  nas: mounted here (machine-a) at \(mount.rootString)  (x)")
    }

    @Test(
        "renaming a mount keeps every photo and vector; a rescan embeds nothing", needsServer)
    func renamedMount() throws {
        let url = try PostgresTestServer.freshDatabase()
        let tree = TempTree()
        for (name, words) in [("old/a.jpg", "red car"), ("old/sub/b.jpg", "blue sky")] {
            tree.write(name, words)
        }
        let base = (try? RawPath.canonical(tree.root).get()) ?? tree.root
        func at(_ relative: String) -> [UInt8] { RawPath.join(base, Array(relative.utf8)) }
        let store = try PostgresStore.open(url: url, host: "machine-a")
        try Indexer.nameRoot(at("old"), name: "nas", store: store)
        let embedder = FakeEmbedder()
        #expect(try indexer(store, embedder).run(roots: [at("old")]).added == 2)
        let again = try indexer(store, embedder).run(roots: [at("old")])
        #expect(again.unchanged == 2 && embedder.imageCount == 2)

        tree.move("old", "new")
        try Indexer.nameRoot(at("new"), name: "nas", store: store)
        let moved = try indexer(store, embedder).run(roots: [at("new")])
        #expect(moved.added == 0 && moved.removed == 0 && moved.unchanged == 2)
        #expect(embedder.imageCount == 2)
        #expect(try store.allPhotos().map(\.path) == [at("new/a.jpg"), at("new/sub/b.jpg")])
        #expect(
            try store.roots().map(\.mounts) == [[RootMount(host: "machine-a", path: at("new"))]])
        // The same folder cannot be another root's here.
        #expect(throws: RootNameError.folderHasOtherName(path: at("new"), name: "nas")) {
            try Indexer.nameRoot(at("new"), name: "photos", store: store)
        }
    }

    @Test("forget from one machine removes the photos for every machine", needsServer)
    func forget() throws {
        let url = try PostgresTestServer.freshDatabase()
        let (mountA, mountB) = (nasCopy(), nasCopy())
        let storeA = try PostgresStore.open(url: url, host: "machine-a")
        try Indexer.nameRoot(mountA.root, name: "nas", store: storeA)
        _ = try indexer(storeA, FakeEmbedder()).run(roots: [mountA.root])
        let storeB = try PostgresStore.open(url: url, host: "machine-b")
        try Indexer.nameRoot(mountB.root, name: "nas", store: storeB)

        #expect(try storeB.forget(path: mountB.path("sub")) == 2)
        #expect(try storeA.allPhotos().map(\.path) == [mountA.path("a.jpg")])
        // A machine without the mount forgets by the shown name.
        let storeC = try PostgresStore.open(url: url, host: "machine-c")
        #expect(try storeC.forget(path: Array("nas:".utf8)) == 1)
        #expect(try storeA.allPhotos().isEmpty)
        #expect(try storeA.roots().isEmpty)
    }

    @Test(
        "an unnamed root named later keeps its photos: stored relative, nothing embedded again",
        needsServer)
    func nameExistingRoot() throws {
        let url = try PostgresTestServer.freshDatabase()
        let mount = nasCopy()
        let store = try PostgresStore.open(url: url, host: "machine-a")
        let embedder = FakeEmbedder()
        _ = try indexer(store, embedder).run(roots: [mount.root])
        #expect(try storedPaths(store).allSatisfy { $0.hasPrefix(mount.rootString + "/") })
        #expect(try store.roots().first?.name == nil)

        try Indexer.nameRoot(mount.root, name: "nas", store: store)
        #expect(try storedPaths(store) == ["nas:a.jpg", "nas:sub/b.jpg", "nas:sub/c.jpg"])
        let rescan = try indexer(store, embedder).run(roots: [mount.root])
        #expect(rescan.unchanged == 3 && rescan.added == 0 && embedder.imageCount == 3)
        let roots = try store.roots()
        #expect(roots.count == 1 && roots.first?.name == "nas" && roots.first?.path == mount.root)
        // A later plain `picseek index FOLDER` keeps the name.
        try store.addRoot(mount.root)
        #expect(try store.roots().count == 1)
    }

    @Test("db copy keeps root names and every machine's mount points", needsServer)
    func copyKeepsNames() throws {
        let url = try PostgresTestServer.freshDatabase()
        let (mountA, mountB) = (nasCopy(), nasCopy())
        let storeA = try PostgresStore.open(url: url, host: "machine-a")
        try Indexer.nameRoot(mountA.root, name: "nas", store: storeA)
        _ = try indexer(storeA, FakeEmbedder()).run(roots: [mountA.root])
        let storeB = try PostgresStore.open(url: url, host: "machine-b")
        try Indexer.nameRoot(mountB.root, name: "nas", store: storeB)

        let copy = try PostgresStore.open(
            url: try PostgresTestServer.freshDatabase(), host: "machine-a")
        let report = try IndexCopy.run(from: storeA, to: copy)
        #expect(report.vectors == 3)
        #expect(try storedPaths(copy) == ["nas:a.jpg", "nas:sub/b.jpg", "nas:sub/c.jpg"])
        #expect(try copy.roots().map(\.mounts) == (try storeA.roots().map(\.mounts)))
        #expect(try copy.allPhotos().map(\.path) == (try storeA.allPhotos().map(\.path)))
        // Again: everything is there already.
        #expect(try IndexCopy.run(from: storeA, to: copy).alreadyThere == 3)
        // An SQLite index keeps no names, and says so.
        let (folder, path) = TempTree.databasePath()
        _ = folder
        let sqlite = try IndexStore.open(path: path)
        #expect(throws: RootNameError.unsupported(location: path)) {
            try IndexCopy.run(from: storeA, to: sqlite)
        }
    }
}

@Suite("Root names")
struct RootNameTests {
    @Test("hostile names are refused with the reason, escaped")
    func hostileNames() {
        let refused: [(String, String)] = [
            ("", "it is empty"), ("a/b", "a /"), ("nas:1", "a :"), ("..", "names a folder"),
            ("x\u{1B}[31m", "control character"), ("tab\there", "control character"),
            (String(repeating: "n", count: 65), "longer than 64"), (" nas", "space"),
            ("a\u{202E}b", "control character"),
        ]
        for (name, reason) in refused {
            #expect(throws: RootNameError.self) { try RootPaths.validate(name: name) }
            do {
                try RootPaths.validate(name: name)
            } catch {
                #expect("\(error)".contains(reason), "\(error)")
                #expect(!"\(error)".contains("\u{1B}"))
            }
        }
        for name in ["nas", "Fotos 2024", "家庭相册", "nas-2.local"] {
            #expect(throws: Never.self) { try RootPaths.validate(name: name) }
        }
    }

    @Test("an SQLite index refuses a named root and says it needs PostgreSQL")
    func sqliteRefuses() throws {
        let (folder, path) = TempTree.databasePath()
        let store = try IndexStore.open(path: path)
        let error = try #require(throws: RootNameError.self) {
            try Indexer.nameRoot(folder.root, name: "nas", store: store)
        }
        #expect("\(error)".contains("named roots need a postgresql index"))
        #expect(try store.roots().isEmpty)
    }
}
