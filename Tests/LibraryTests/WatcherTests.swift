import Foundation
import Imaging
import PicseekCore
import PicseekTestSupport
import Store
import Testing

@testable import Library

#if canImport(Glibc)
    import Glibc
#endif

/// A watcher over an `IndexFixture`'s tree, running on its own thread, with
/// the events it reported.
final class WatchFixture {
    let f: IndexFixture
    let watcher: Watcher
    /// The canonical root, computed once (it stays valid while the folder is moved away).
    let root: [UInt8]
    private let lock = NSLock()
    private var log: [WatchEvent] = []
    private let done = DispatchSemaphore(value: 0)
    private var stopped = false

    init(
        _ fixture: IndexFixture, options: WatchOptions = WatchFixture.fast(),
        processor: @escaping PhotoProcessor = Fakes.processor, textPass: TextPass? = nil
    ) throws {
        f = fixture
        let indexer = Indexer(
            store: f.store, embedder: f.embedder, processor: processor,
            encodeThumbnail: Fakes.encodeThumbnail)
        guard case .success(let root) = RawPath.canonical(f.tree.root) else {
            throw WatchError.noFolders
        }
        self.root = root
        var events: ((WatchEvent) -> Void)?
        watcher = try Watcher(
            indexer: indexer, roots: [root], options: options, textPass: textPass
        ) { events?($0) }
        events = { [unowned self] event in lock.withLock { log.append(event) } }
        let thread = Thread { [watcher, done] in
            do { try watcher.run() } catch { Issue.record("watcher stopped: \(error)") }
            done.signal()
        }
        thread.start()
    }

    /// Short delays, so tests finish fast.
    static func fast() -> WatchOptions {
        var options = WatchOptions()
        options.quietPeriod = 0.1
        options.maxDelay = 1
        options.settleTime = 30
        options.busyRetry = 0.1
        options.rootCheckInterval = 0.2
        return options
    }

    var events: [WatchEvent] { lock.withLock { log } }

    /// Full and partial rescans so far.
    var updates: [(IndexReport, Bool)] {
        events.compactMap {
            if case .updated(let r, let full) = $0 { return (r, full) } else { return nil }
        }
    }

    /// Waits until the first full rescan is done (the watcher is then watching).
    func waitUntilWatching() throws {
        try expectSoon("the first full rescan") { self.updates.contains { $0.1 } }
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        watcher.stop()
        done.wait()
    }

    deinit { stop() }

    /// Polls `condition` until it holds or `seconds` pass; records an issue then.
    func expectSoon(
        _ what: String, seconds: Double = 20, sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: () throws -> Bool
    ) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            usleep(20_000)
        }
        if try condition() { return }
        Issue.record(
            "not within \(Int(seconds)) s: \(what); events: \(events)",
            sourceLocation: sourceLocation)
        throw WatchTestTimeout()
    }

    /// Whether `relative` has a vector in the index.
    func indexed(_ relative: String) throws -> Bool {
        guard let photo = try f.store.photo(path: RawPath.join(root, Array(relative.utf8))) else {
            return false
        }
        return try f.store.vector(photoID: photo.id, model: f.model()) != nil
    }

    /// Whether the index has a row for `relative` at all.
    func known(_ relative: String) throws -> Bool {
        try f.store.photo(path: RawPath.join(root, Array(relative.utf8))) != nil
    }
}

struct WatchTestTimeout: Error {}

/// A small real JPEG whose pixels depend on `shade`.
func sampleJPEG(_ shade: Int) throws -> [UInt8] {
    let image = RGBImage(
        width: 48, height: 32,
        pixels: (0..<(48 * 32 * 3)).map { UInt8(truncatingIfNeeded: shade + $0 % 11) })
    return try JPEGFixture.encode(image)
}

@Suite("Watcher (real inotify)", .serialized)
struct WatcherTests {
    @Test("a photo added after the watcher started is indexed, without a rerun")
    func added() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        let w = try WatchFixture(f)
        defer { w.stop() }
        try w.waitUntilWatching()
        #expect(try w.indexed("a.jpg"))
        f.tree.write("b.jpg", "bravo")
        try w.expectSoon("b.jpg indexed") { try w.indexed("b.jpg") }
        #expect(f.embedder.imageCount == 2)
    }

    @Test("words of photos added or changed are read after their vectors, by the watcher")
    func readsWords() throws {
        let f = try IndexFixture()
        f.tree.write(Array("a.jpg".utf8), try sampleJPEG(1))
        let pass = TextPass(store: f.store, pipeline: ImagePipeline()) { image in
            RecognizedText(
                words: [
                    RecognizedWord(
                        text: "EXIT\(image.height)", confidence: 90, x: 0, y: 0, width: 4,
                        height: 4, line: 0)
                ], languages: "fake")
        }
        let w = try WatchFixture(f, textPass: pass)
        defer { w.stop() }
        try w.waitUntilWatching()
        try w.expectSoon("a.jpg's words read") { try f.store.textProgress().done == 1 }
        f.tree.write(Array("b.jpg".utf8), try sampleJPEG(2))
        try w.expectSoon("b.jpg indexed") { try w.indexed("b.jpg") }
        try w.expectSoon("b.jpg's words read") {
            try f.store.textProgress() == TextProgress(done: 2, pending: 0)
        }
        #expect(try f.store.searchText("exit32").count == 2)
        try w.expectSoon("the words reported twice") {
            w.events.filter {
                if case .wordsRead = $0 { return true } else { return false }
            }.count == 2
        }
        // b.jpg's vector was stored (and reported) before its words were read.
        let events = w.events
        let added = events.lastIndex {
            if case .updated(let report, _) = $0 { return report.added == 1 } else { return false }
        }
        let read = events.lastIndex {
            if case .wordsRead = $0 { return true } else { return false }
        }
        #expect(added != nil && read != nil && (added ?? 0) < (read ?? 0))
        let lines = w.events.flatMap { WatchEventText.lines($0) }.map(\.text)
        #expect(lines.contains { $0.hasPrefix("words read in 1 photos, 1 with text") })
    }

    @Test("a photo changed in place gets a new vector")
    func modified() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        let w = try WatchFixture(f)
        defer { w.stop() }
        try w.waitUntilWatching()
        let before = try #require(try f.vector("a.jpg"))
        f.tree.write("a.jpg", "a rather different alpha")
        try w.expectSoon("a.jpg re-embedded") {
            try f.vector("a.jpg").map { $0 != before } ?? false
        }
    }

    @Test("a photo moved to another folder keeps its vector under the new path; the old row goes")
    func moved() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        f.tree.write("sub/keep.jpg", "keep")
        let w = try WatchFixture(f)
        defer { w.stop() }
        try w.waitUntilWatching()
        let before = try #require(try f.vector("a.jpg"))
        let embedded = f.embedder.imageCount
        f.tree.move("a.jpg", "sub/renamed.jpg")
        try w.expectSoon("renamed.jpg indexed and a.jpg gone") {
            let renamed = try w.indexed("sub/renamed.jpg")
            return try renamed && !w.known("a.jpg")
        }
        #expect(try f.vector("sub/renamed.jpg") == before)
        #expect(f.embedder.imageCount == embedded, "a move must not embed again")
    }

    @Test("a deleted photo and a deleted folder leave the index")
    func deleted() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        f.tree.write("b.jpg", "bravo")
        f.tree.write("old/c.jpg", "charlie")
        let w = try WatchFixture(f)
        defer { w.stop() }
        try w.waitUntilWatching()
        #expect(try w.indexed("old/c.jpg"))
        f.tree.remove("a.jpg")
        try FileManager.default.removeItem(atPath: f.tree.rootString + "/old")
        try w.expectSoon("a.jpg and old/c.jpg removed") {
            let a = try w.known("a.jpg")
            let c = try w.known("old/c.jpg")
            return !a && !c
        }
        #expect(try w.indexed("b.jpg"))
    }

    @Test("a burst of 300 new photos is indexed in a few batches, not one run per file")
    func burst() throws {
        let f = try IndexFixture()
        f.tree.write("seed.jpg", "seed")
        let w = try WatchFixture(f)
        defer { w.stop() }
        try w.waitUntilWatching()
        let before = w.updates.count
        for i in 0..<300 { f.tree.write("import/IMG_\(i).jpg", "photo number \(i)") }
        try w.expectSoon("300 photos indexed") {
            try (0..<300).allSatisfy { try w.indexed("import/IMG_\($0).jpg") }
        }
        let runs = w.updates.count - before
        #expect(runs >= 1 && runs <= 30, "\(runs) rescans for 300 files")
    }

    @Test("folders created after the start are watched, however deep")
    func newSubfolder() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        let w = try WatchFixture(f)
        defer { w.stop() }
        try w.waitUntilWatching()
        let watched = w.watcher.watchedFolders
        // Created together with its first photo (the watch may come after the file).
        f.tree.write("2026/trip/day1/x.jpg", "first")
        try w.expectSoon("x.jpg indexed") { try w.indexed("2026/trip/day1/x.jpg") }
        // A later photo in the new folder is seen through the new folder's own watch.
        f.tree.write("2026/trip/day1/y.png", "second")
        try w.expectSoon("y.png indexed") { try w.indexed("2026/trip/day1/y.png") }
        #expect(w.watcher.watchedFolders >= watched + 3)
        // Hidden and junk folders are not watched nor indexed.
        f.tree.write(".cache/z.jpg", "hidden")
        f.tree.write("2026/seen.jpg", "after the hidden one")
        try w.expectSoon("seen.jpg indexed") { try w.indexed("2026/seen.jpg") }
        #expect(!(try w.known(".cache/z.jpg")))
    }

    @Test("a folder moved in is watched; a folder renamed inside keeps its vectors")
    func foldersMovedInAndRenamed() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        f.tree.write("trip/b.jpg", "bravo")
        let outside = TempTree()
        outside.write("card/DCIM/c.jpg", "charlie")
        let w = try WatchFixture(f)
        defer { w.stop() }
        try w.waitUntilWatching()
        let bravo = try #require(try f.vector("trip/b.jpg"))
        let embedded = f.embedder.imageCount
        try #require(rename(outside.rootString + "/card", f.tree.rootString + "/card") == 0)
        try w.expectSoon("card/DCIM/c.jpg indexed") { try w.indexed("card/DCIM/c.jpg") }
        f.tree.write("card/DCIM/d.jpg", "delta")
        try w.expectSoon("a photo added later inside the moved-in folder") {
            try w.indexed("card/DCIM/d.jpg")
        }
        f.tree.move("trip", "holiday")
        try w.expectSoon("holiday/b.jpg indexed and trip/b.jpg gone") {
            let moved = try w.indexed("holiday/b.jpg")
            return try moved && !w.known("trip/b.jpg")
        }
        #expect(try f.vector("holiday/b.jpg") == bravo)
        #expect(f.embedder.imageCount == embedded + 2, "only c.jpg and d.jpg are new")
        // The renamed folder is watched under its new name.
        f.tree.write("holiday/e.jpg", "echo")
        try w.expectSoon("holiday/e.jpg indexed") { try w.indexed("holiday/e.jpg") }
    }

    @Test("a half-written photo is left alone until it is closed, then indexed whole")
    func halfWritten() throws {
        let f = try IndexFixture()
        f.tree.write(Array("first.jpg".utf8), try sampleJPEG(10))
        let w = try WatchFixture(f, processor: Fakes.jpegProcessor)
        defer { w.stop() }
        try w.waitUntilWatching()
        let bytes = try sampleJPEG(200)
        let path = f.tree.rootString + "/slow.jpg"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        let half = bytes.count / 2
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, half) }
        // Another photo closed in the same folder makes the watcher rescan it now.
        f.tree.write(Array("other.jpg".utf8), try sampleJPEG(90))
        try w.expectSoon("other.jpg indexed") { try w.indexed("other.jpg") }
        #expect(!(try w.known("slow.jpg")), "a file still being written must not be read")
        _ = bytes[half...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        try w.expectSoon("slow.jpg indexed once closed") { try w.indexed("slow.jpg") }
        #expect(try f.store.photo(path: f.stored("slow.jpg"))?.error == nil)
        #expect(try f.store.photo(path: f.stored("slow.jpg"))?.width == 48)
    }

    @Test("a photo written but never closed is indexed once it has settled")
    func settlesWithoutClose() throws {
        let f = try IndexFixture()
        f.tree.write(Array("first.jpg".utf8), try sampleJPEG(10))
        var options = WatchFixture.fast()
        options.settleTime = 0.5
        let w = try WatchFixture(f, options: options, processor: Fakes.jpegProcessor)
        defer { w.stop() }
        try w.waitUntilWatching()
        let bytes = try sampleJPEG(150)
        let fd = open(f.tree.rootString + "/open.jpg", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        try w.expectSoon("open.jpg indexed after settling") { try w.indexed("open.jpg") }
    }

    @Test("while another writer holds the lock the watcher waits, says so, then catches up")
    func sharesWriterLock() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        let w = try WatchFixture(f)
        defer { w.stop() }
        try w.waitUntilWatching()
        let lock = try #require(try f.store.lockForWriting())
        f.tree.write("b.jpg", "bravo")
        try w.expectSoon("a waiting event") {
            w.events.contains { if case .waiting = $0 { return true } else { return false } }
        }
        #expect(!(try w.known("b.jpg")))
        let message =
            w.events.compactMap { e -> String? in
                if case .waiting(let m) = e { return m } else { return nil }
            }.first ?? ""
        #expect(message.contains("process \(getpid())"), "\(message)")
        lock.release()
        try w.expectSoon("b.jpg indexed after the lock was released") { try w.indexed("b.jpg") }
    }

    @Test("at the watch limit the watcher explains it and falls back to periodic rescans")
    func watchLimit() throws {
        let f = try IndexFixture()
        f.tree.write("a/1.jpg", "one")
        f.tree.write("b/2.jpg", "two")
        f.tree.write("c/3.jpg", "three")
        var options = WatchFixture.fast()
        options.watchLimit = 2
        options.rescanInterval = 0.5
        let w = try WatchFixture(f, options: options)
        defer { w.stop() }
        try w.waitUntilWatching()
        #expect(w.watcher.watchedFolders == 2)
        let message = w.events.compactMap { e -> String? in
            if case .limitReached(let m) = e { return m } else { return nil }
        }.first
        #expect(message?.contains("max_user_watches") == true, "\(String(describing: message))")
        #expect(message?.contains("sysctl") == true)
        // Photos in every folder, watched or not, arrive (the rescan covers the others).
        for name in ["a", "b", "c"] { f.tree.write("\(name)/new.jpg", "new in \(name)") }
        try w.expectSoon("new photos in all three folders") {
            try ["a", "b", "c"].allSatisfy { try w.indexed("\($0)/new.jpg") }
        }
    }

    @Test("a root that disappears keeps its rows; when it comes back it is rescanned")
    func rootGoneAndBack() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        f.tree.write("sub/b.jpg", "bravo")
        let w = try WatchFixture(f)
        defer { w.stop() }
        try w.waitUntilWatching()
        let root = f.tree.rootString
        let away = root + ".away"
        try #require(rename(root, away) == 0)
        var movedBack = false
        defer { if !movedBack { _ = rename(away, root) } }
        try w.expectSoon("a rootGone event") {
            w.events.contains { if case .rootGone = $0 { return true } else { return false } }
        }
        // Changes made while it is away are seen when it returns, nothing is wiped meanwhile.
        try Data("charlie".utf8).write(to: URL(fileURLWithPath: away + "/c.jpg"))
        try FileManager.default.removeItem(atPath: away + "/sub/b.jpg")
        #expect(try w.indexed("a.jpg"))
        #expect(try w.indexed("sub/b.jpg"))
        try #require(rename(away, root) == 0)
        movedBack = true
        try w.expectSoon("c.jpg indexed and b.jpg gone after the root came back") {
            let c = try w.indexed("c.jpg")
            return try c && !w.known("sub/b.jpg")
        }
        #expect(try w.indexed("a.jpg"))
        #expect(
            w.events.contains {
                if case .rootReturned = $0 { return true } else { return false }
            })
        // Watching again: a new photo arrives as usual.
        f.tree.write("sub/d.jpg", "delta")
        try w.expectSoon("d.jpg indexed") { try w.indexed("sub/d.jpg") }
    }

    @Test("inotify events are parsed from the kernel's packed records")
    func parsesRecords() {
        var bytes: [UInt8] = []
        func word(_ v: UInt32) {
            for i in 0..<4 { bytes.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) }
        }
        word(7); word(0x100); word(0); word(8)
        bytes += Array("ab.jpg".utf8) + [0, 0]
        word(9); word(0x8000); word(3); word(0)
        let events = Inotify.parse(bytes[...])
        #expect(
            events == [
                InotifyEvent(watch: 7, mask: 0x100, cookie: 0, name: Array("ab.jpg".utf8)),
                InotifyEvent(watch: 9, mask: 0x8000, cookie: 3, name: []),
            ])
    }
}
