import Foundation
import PicseekCore
import PicseekTestSupport
import Store
import Testing

@testable import Library

/// A store in a temp folder, a photo tree, and a counting fake model.
final class IndexFixture {
    let tree = TempTree()
    let dbTree: TempTree
    let dbPath: String
    let store: IndexStore
    let embedder: FakeEmbedder

    init(embedder: FakeEmbedder = FakeEmbedder()) throws {
        (dbTree, dbPath) = TempTree.databasePath()
        store = try IndexStore.open(path: dbPath)
        self.embedder = embedder
    }

    func index(
        options: IndexOptions = IndexOptions(), embedder: FakeEmbedder? = nil,
        processor: @escaping PhotoProcessor = Fakes.processor,
        control: IndexControl = IndexControl(),
        encodeThumbnail: @escaping ThumbnailEncoder = Fakes.encodeThumbnail,
        progress: ((IndexProgress) -> Void)? = nil
    ) throws -> IndexReport {
        let indexer = Indexer(
            store: store, embedder: embedder ?? self.embedder, processor: processor,
            encodeThumbnail: encodeThumbnail, options: options)
        return try indexer.run(roots: [tree.root], control: control, progress: progress)
    }

    /// The canonical (realpath) form of a path in the tree, as stored.
    func stored(_ relative: String) -> [UInt8] {
        guard case .success(let root) = RawPath.canonical(tree.root) else { return [] }
        return RawPath.join(root, Array(relative.utf8))
    }

    func model() throws -> ModelRecord {
        try #require(try store.model(named: embedder.model.name))
    }

    func vector(_ relative: String) throws -> [Float]? {
        guard let photo = try store.photo(path: stored(relative)) else { return nil }
        return try store.vector(photoID: photo.id, model: model())
    }
}

@Suite("Indexer")
struct IndexerTests {
    @Test("a first run embeds every photo; an unchanged rerun embeds nothing")
    func firstRunAndNoop() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        f.tree.write("sub/b.JPG", "bravo")
        f.tree.write("sub/deeper/c.jpeg", "charlie")
        f.tree.write("notes.txt", "not a photo")
        let first = try f.index()
        #expect(first.scanned == 3)
        #expect(first.added == 3)
        #expect(f.embedder.imageCount == 3)
        #expect(try f.store.vectorCount(model: f.model()) == 3)
        #expect(
            try f.vector("sub/b.JPG") == f.embedder.project(Fakes.histogram(Array("bravo".utf8))))

        let second = try f.index()
        #expect(second.unchanged == 3)
        #expect(second.added + second.updated + second.moved + second.removed == 0)
        #expect(f.embedder.imageCount == 3)
        #expect(try f.store.integrityCheck() == ["ok"])
    }

    @Test("add, modify, delete, rename and move between runs: counts and vectors right")
    func incremental() throws {
        let f = try IndexFixture()
        f.tree.write("keep.jpg", "keep")
        f.tree.write("change.jpg", "old content")
        f.tree.write("gone.jpg", "gone")
        f.tree.write("rename-me.jpg", "renamed content")
        f.tree.write("a/move-me.jpg", "moved content")
        _ = try f.index()
        #expect(f.embedder.imageCount == 5)
        let movedID = try #require(try f.store.photo(path: f.stored("a/move-me.jpg"))).id

        f.tree.write("new.jpg", "brand new")
        f.tree.write("change.jpg", "new content, longer")
        f.tree.remove("gone.jpg")
        f.tree.move("rename-me.jpg", "renamed.jpg")
        f.tree.move("a/move-me.jpg", "b/moved.jpg")
        let report = try f.index()

        #expect(report.added == 1)
        #expect(report.updated == 1)
        #expect(report.moved == 2)
        #expect(report.removed == 3) // gone, rename-me, a/move-me
        #expect(report.unchanged == 1)
        // Only the new and the changed file went through the model.
        #expect(f.embedder.imageCount == 7)
        #expect(report.embedded == 2)

        let paths = try f.store.allPhotos().map { RawPath.baseName($0.path) }
        #expect(
            Set(paths.map { String(decoding: $0, as: UTF8.self) })
                == ["keep.jpg", "change.jpg", "renamed.jpg", "moved.jpg", "new.jpg"])
        #expect(try f.store.photo(path: f.stored("a/move-me.jpg")) == nil)
        #expect(try f.store.photo(path: f.stored("b/moved.jpg"))?.id != movedID)
        for (name, content) in [
            ("keep.jpg", "keep"), ("change.jpg", "new content, longer"),
            ("renamed.jpg", "renamed content"), ("b/moved.jpg", "moved content"),
            ("new.jpg", "brand new"),
        ] {
            #expect(try f.vector(name) == f.embedder.project(Fakes.histogram(Array(content.utf8))))
        }
        #expect(try f.store.vectorCount(model: f.model()) == 5)
    }

    @Test("a touched file with the same bytes keeps its vector without re-embedding")
    func touchedFile() throws {
        let f = try IndexFixture()
        f.tree.write("t.jpg", "same bytes")
        _ = try f.index()
        f.tree.setMtime("t.jpg", seconds: 1_000_000)
        let report = try f.index()
        #expect(report.updated == 1)
        #expect(f.embedder.imageCount == 1)
        #expect(try f.store.photo(path: f.stored("t.jpg"))?.mtimeNs == 1_000_000 * 1_000_000_000)
    }

    @Test("a broken file is recorded with its error and retried only after it changes")
    func brokenFile() throws {
        let f = try IndexFixture()
        f.tree.write("bad.jpg", "BROKEN data")
        f.tree.write("good.jpg", "fine")
        let first = try f.index()
        #expect(first.failed == 1)
        let bad = try #require(try f.store.photo(path: f.stored("bad.jpg")))
        #expect(bad.error?.contains("corrupt photo") == true)
        #expect(try f.store.failedPhotos().map(\.path) == [f.stored("bad.jpg")])

        let second = try f.index()
        #expect(second.failed == 0)
        #expect(second.unchanged == 2)

        f.tree.write("bad.jpg", "now a good photo")
        let third = try f.index()
        #expect(third.updated == 1)
        #expect(try f.store.photo(path: f.stored("bad.jpg"))?.error == nil)
        #expect(try f.vector("bad.jpg") != nil)
    }

    @Test("hidden, junk and excluded folders are skipped; extensions decide what is a photo")
    func skipping() throws {
        let f = try IndexFixture()
        f.tree.write("ok.jpg", "ok")
        f.tree.write(".hidden/x.jpg", "x")
        f.tree.write(".hidden.jpg", "h")
        f.tree.write("node_modules/y.jpg", "y")
        f.tree.write("@eaDir/z.jpg", "z")
        f.tree.write(".Trash-1000/t.jpg", "t")
        f.tree.write("raw/skip-me.png", "p")
        f.tree.write("drafts/draft.jpg", "d")
        f.tree.write("drawing.bmp", "b")
        var options = IndexOptions()
        options.scan.excludeGlobs = ["drafts", "*/raw/*"]
        let report = try f.index(options: options)
        #expect(report.scanned == 1)
        #expect(try f.store.allPhotos().map(\.path) == [f.stored("ok.jpg")])

        options.scan.includeHidden = true
        options.scan.excludeGlobs = []
        let again = try f.index(options: options)
        // ok, .hidden/x, .hidden.jpg, drafts/draft, raw/skip-me.png now count;
        // node_modules, @eaDir and .Trash-1000 stay out as junk.
        #expect(again.scanned == 5)
    }

    @Test("files of other image formats are counted by extension, not indexed")
    func otherFormats() throws {
        let f = try IndexFixture()
        f.tree.write("ok.jpg", "ok")
        f.tree.write("IMG_0001.JXL", "j")
        f.tree.write("trip/IMG_0002.jxl", "j")
        f.tree.write("drawing.bmp", "b")
        f.tree.write("notes.txt", "t")
        f.tree.write("archive.tar.gz", "z")
        f.tree.write(".hidden/x.bmp", "w")
        let report = try f.index()
        #expect(report.scanned == 1)
        #expect(report.skipped == ["jxl": 2, "bmp": 1])
    }

    @Test("webp, gif, heic, heif and avif names are photos, in any letter case")
    func newFormats() throws {
        let f = try IndexFixture()
        f.tree.write("a.webp", "w")
        f.tree.write("B.WEBP", "w")
        f.tree.write("c.gif", "g")
        f.tree.write("d.GiF", "g")
        f.tree.write("e.HEIC", "h")
        f.tree.write("f.heif", "h")
        f.tree.write("g.Avif", "a")
        let report = try f.index()
        #expect(report.scanned == 7)
        #expect(report.skipped.isEmpty)
    }

    @Test("camera raw names are photos, in any letter case; pef and srw are still skipped")
    func rawFormats() throws {
        let f = try IndexFixture()
        for name in [
            "a.dng", "b.CR2", "c.cr3", "d.NEF", "e.nrw", "f.arw", "g.ORF", "h.rw2", "i.RaF",
            "j.pef", "k.SRW", "l.mov",
        ] {
            f.tree.write(name, "raw \(name)")
        }
        let report = try f.index()
        #expect(report.scanned == 9)
        #expect(report.skipped == ["pef": 1, "srw": 1])
        #expect(try f.store.photo(path: f.stored("i.RaF")) != nil)
    }

    @Test("one or three decode threads give the same index, counts and vectors")
    func decodeThreads() throws {
        var results: [(IndexReport, [String: [Float]?], [String])] = []
        for threads in [1, 3] {
            let f = try IndexFixture()
            for i in 0..<60 {
                // Some broken photos and some with the same content.
                let body = i % 11 == 4 ? "BROKEN \(i)" : "photo \(i % 45)"
                f.tree.write("set\(i % 4)/img\(i).jpg", body)
            }
            var options = IndexOptions()
            options.decodeThreads = threads
            options.batchSize = 5
            // Record how many decodes overlap; each takes a little while.
            let overlap = Overlap()
            let report = try f.index(
                options: options,
                processor: { bytes, spec in
                    overlap.enter()
                    defer { overlap.leave() }
                    usleep(2_000)
                    return try Fakes.processor(bytes, spec)
                })
            #expect(
                threads == 1 ? overlap.most == 1 : overlap.most >= 2,
                "\(threads) threads: \(overlap.most) at once")
            var vectors: [String: [Float]?] = [:]
            for i in 0..<60 {
                vectors["set\(i % 4)/img\(i).jpg"] = try f.vector("set\(i % 4)/img\(i).jpg")
            }
            let failed = try f.store.failedPhotos().map {
                String(decoding: RawPath.baseName($0.path), as: UTF8.self)
            }
            results.append((report, vectors, failed.sorted()))
        }
        let (one, three) = (results[0], results[1])
        #expect(one.0.scanned == 60 && three.0.scanned == 60)
        #expect(one.0.failed == three.0.failed && one.0.failed == 6)
        #expect(one.0.added + one.0.duplicates == three.0.added + three.0.duplicates)
        #expect(one.1 == three.1)
        #expect(one.1.values.filter { $0 != nil }.count == 54)
        #expect(one.2 == three.2)
    }

    /// The most callers inside `enter`/`leave` at the same time.
    final class Overlap: @unchecked Sendable {
        private let lock = NSLock()
        private var now = 0
        private(set) var most = 0
        func enter() { lock.lock(); now += 1; most = max(most, now); lock.unlock() }
        func leave() { lock.lock(); now -= 1; lock.unlock() }
    }

    @Test("symlink loops are entered once and do not hang")
    func symlinkLoop() throws {
        let f = try IndexFixture()
        f.tree.write("dir/p.jpg", "p")
        let link = f.tree.path("dir/loop")
        let rc = RawPath.withCString(f.tree.root) { target in
            RawPath.withCString(link) { symlink(target, $0) }
        }
        #expect(rc == 0)
        let report = try f.index()
        // dir/p.jpg, reached once directly; the loop leads back to the root, already visited.
        #expect(report.scanned == 1)
    }

    @Test("hostile names (newline, escape, invalid UTF-8) keep every byte")
    func hostileNames() throws {
        let f = try IndexFixture()
        let names: [[UInt8]] = [
            Array("new\nline.jpg".utf8),
            Array("\u{1b}[2Jclear.jpg".utf8),
            [0x62, 0x61, 0x64, 0xFF, 0xFE, 0x2E, 0x6A, 0x70, 0x67], // "bad\xFF\xFE.jpg"
            Array("bidi\u{202E}gpj.jpg".utf8),
        ]
        for (i, name) in names.enumerated() { f.tree.write(name, Array("photo \(i)".utf8)) }
        let report = try f.index()
        #expect(report.added == names.count)
        let stored = try Set(f.store.allPhotos().map { RawPath.baseName($0.path) })
        #expect(stored == Set(names))
        for path in try f.store.allPhotos().map(\.path) {
            let shown = RawPath.display(path)
            #expect(
                !shown.unicodeScalars.contains {
                    $0.value < 0x20 || $0.value == 0x7F || $0.value == 0x202E
                })
        }
    }

    @Test("an unreadable file is reported with a reason, or indexed when running as root")
    func unreadable() throws {
        let f = try IndexFixture()
        f.tree.write("locked.jpg", "locked bytes")
        _ = RawPath.withCString(f.tree.path("locked.jpg")) { chmod($0, 0) }
        let report = try f.index()
        let row = try #require(try f.store.photo(path: f.stored("locked.jpg")))
        if geteuid() == 0 {
            // root bypasses permissions: the file is simply indexed.
            #expect(report.added == 1)
            #expect(row.error == nil)
        } else {
            #expect(report.failed == 1)
            #expect(row.error?.contains("Permission denied") == true)
        }
    }

    @Test(
        "rows under a folder that cannot be read are not deleted",
        .enabled(if: geteuid() != 0, "root can read any folder"))
    func unreadableFolderKeepsRows() throws {
        let f = try IndexFixture()
        f.tree.write("box/in.jpg", "inside")
        _ = try f.index()
        _ = RawPath.withCString(f.tree.path("box")) { chmod($0, 0) }
        let report = try f.index()
        #expect(report.removed == 0)
        #expect(!report.problems.isEmpty)
        #expect(try f.store.photo(path: f.stored("box/in.jpg")) != nil)
    }

    @Test("a root that comes back empty (unmounted drive) keeps its entries")
    func emptyRootKeepsRows() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "a")
        f.tree.write("sub/b.jpg", "b")
        _ = try f.index()
        f.tree.remove("a.jpg")
        f.tree.remove("sub/b.jpg")
        let report = try f.index()
        #expect(report.removed == 0)
        #expect(report.problems.contains { "\($0)".contains("not mounted?") })
        #expect(try f.store.allPhotos().count == 2)
        // Deleting some but not all photos is an ordinary change.
        f.tree.write("c.jpg", "c")
        let next = try f.index()
        #expect(next.removed == 2)
        #expect(try f.store.allPhotos().count == 1)
    }

    @Test("switching models keeps the other model's vectors")
    func twoModels() throws {
        let f = try IndexFixture()
        f.tree.write("one.jpg", "one")
        f.tree.write("two.jpg", "two")
        _ = try f.index()
        let other = FakeEmbedder(name: "other", dimension: 4, seed: 9)
        let report = try f.index(embedder: other)
        #expect(report.updated == 2)
        #expect(other.imageCount == 2)
        let first = try f.model()
        let second = try #require(try f.store.model(named: "other"))
        #expect(try f.store.vectorCount(model: first) == 2)
        #expect(try f.store.vectorCount(model: second) == 2)
        // And back: nothing to do for the first model.
        _ = try f.index()
        #expect(f.embedder.imageCount == 2)
    }

    @Test("different weights under the same model name are refused")
    func weightsChanged() throws {
        let f = try IndexFixture()
        f.tree.write("one.jpg", "one")
        _ = try f.index()
        let changed = FakeEmbedder(name: "fake", fingerprint: "w2")
        #expect(throws: StoreError.self) { try f.index(embedder: changed) }
    }

    @Test("a second indexer on the same database refuses with a clear message")
    func oneWriter() throws {
        let f = try IndexFixture()
        f.tree.write("one.jpg", "one")
        let held = try #require(try f.store.lockForWriting())
        do {
            _ = try f.index()
            Issue.record("the second indexer ran")
        } catch let error as StoreError {
            #expect("\(error)".contains("another indexer"))
            #expect("\(error)".contains("process \(getpid())"))
        }
        held.release()
        #expect(try f.index().added == 1)
    }

    @Test("cancel stops early; the next run completes without duplicates")
    func cancelAndResume() throws {
        let f = try IndexFixture()
        for i in 0..<40 { f.tree.write("p\(i).jpg", "photo number \(i)") }
        let control = IndexControl()
        var options = IndexOptions()
        options.commitEvery = 4
        options.commitInterval = 0
        let first = try f.index(
            options: options, control: control,
            progress: { p in
                if p.done >= 10 { control.cancel() }
            })
        #expect(first.cancelled)
        let partial = try f.store.allPhotos().count
        #expect(partial >= 4 && partial < 40)
        let second = try f.index()
        #expect(!second.cancelled)
        #expect(second.added == 40 - partial)
        #expect(try f.store.allPhotos().count == 40)
        #expect(try f.store.vectorCount(model: f.model()) == 40)
    }

    @Test("pause holds the worker until resume")
    func pauseResume() throws {
        let f = try IndexFixture()
        for i in 0..<12 { f.tree.write("p\(i).jpg", "photo \(i)") }
        let control = IndexControl()
        control.pause()
        let report = Locked<IndexReport?>(nil)
        let worker = Thread { report.value = try? f.index(control: control) }
        worker.start()
        // The worker reaches the pause and waits there, having embedded nothing.
        #expect(poll(seconds: 20) { control.isHolding })
        #expect(f.embedder.imageCount == 0)
        #expect(report.value == nil)
        control.resume()
        #expect(poll(seconds: 20) { report.value != nil })
        #expect(!control.isHolding)
        #expect(report.value?.added == 12)
        #expect(f.embedder.imageCount == 12)
    }

    @Test("progress reports totals, done counts and the current file")
    func progressEvents() throws {
        let f = try IndexFixture()
        for i in 0..<5 { f.tree.write("p\(i).jpg", "photo \(i)") }
        f.tree.write("bad.jpg", "BROKEN")
        var events: [IndexProgress] = []
        _ = try f.index(progress: { events.append($0) })
        #expect(events.first?.phase == .scanning)
        #expect(events.last?.phase == .finished)
        let indexing = events.filter { $0.phase == .indexing }
        #expect(indexing.last?.done == 6)
        #expect(indexing.last?.total == 6)
        #expect(indexing.last?.failed == 1)
        #expect(indexing.contains { $0.current != nil })
        #expect(indexing.last?.lastError?.contains("bad.jpg") == true)
    }

    @Test("thumbnails are stored JPEG-encoded, keyed by content hash")
    func thumbnails() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "thumb me")
        _ = try f.index()
        let photo = try #require(try f.store.photo(path: f.stored("a.jpg")))
        let hash = try #require(photo.contentHash)
        #expect(hash == SHA256.hash(Array("thumb me".utf8)))
        let thumb = try #require(try f.store.thumbnails.get(hash: hash))
        #expect(thumb.width == 2 && thumb.height == 1)
        #expect(thumb.jpeg.starts(with: [0xFF, 0xD8]))

        // A rename keeps the preview; new content replaces it.
        f.tree.move("a.jpg", "b.jpg")
        f.tree.write("c.jpg", "keeps the root non-empty")
        _ = try f.index()
        #expect(try f.store.thumbnails.get(hash: hash) == thumb)
        f.tree.write("b.jpg", "other bytes now")
        _ = try f.index()
        #expect(try f.store.thumbnails.get(hash: hash) == nil)
        #expect(try f.store.thumbnails.count() == 2)
    }

    @Test("thumbnails come from the injected encoder at the set quality; its failure skips them")
    func injectedThumbnailEncoder() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        var options = IndexOptions()
        options.thumbnailQuality = 55
        _ = try f.index(
            options: options,
            encodeThumbnail: { image, quality in
                [UInt8(quality), UInt8(image.width), UInt8(image.height)]
            })
        let hash = try #require(try f.store.photo(path: f.stored("a.jpg"))?.contentHash)
        #expect(try f.store.thumbnails.get(hash: hash)?.jpeg == [55, 2, 1])

        struct EncodeFailed: Error {}
        f.tree.write("b.jpg", "bravo")
        let report = try f.index(encodeThumbnail: { _, _ in throw EncodeFailed() })
        #expect(report.added == 1 && report.failed == 0)
        let other = try #require(try f.store.photo(path: f.stored("b.jpg"))?.contentHash)
        #expect(try f.store.thumbnails.get(hash: other) == nil)
        #expect(try f.vector("b.jpg") != nil)
    }

    @Test("real JPEGs go through libjpeg decoding in the test processor")
    func realJPEG() throws {
        let f = try IndexFixture()
        for (i, shade) in [UInt8(30), 220].enumerated() {
            let image = RGBImage(
                width: 32, height: 24,
                pixels: (0..<(32 * 24 * 3)).map { UInt8(truncatingIfNeeded: Int(shade) + $0 % 7) })
            f.tree.write(Array("real\(i).jpg".utf8), try JPEGFixture.encode(image))
        }
        f.tree.write("truncated.jpg", "\u{FF}\u{D8}\u{FF}")
        let report = try f.index(processor: Fakes.jpegProcessor)
        #expect(report.added == 2)
        #expect(report.failed == 1)
        #expect(try f.store.photo(path: f.stored("real0.jpg"))?.width == 32)
        #expect(try f.store.photo(path: f.stored("truncated.jpg"))?.error?.isEmpty == false)
    }
}

/// A value shared between threads in tests.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
