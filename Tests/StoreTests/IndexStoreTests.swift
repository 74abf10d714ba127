import Foundation
import GRDB
import PicseekCore
import Testing

@testable import Store

/// A fresh database file in its own temp folder.
private final class TempDatabase {
    let dir: String
    let path: String
    init() {
        dir = NSTemporaryDirectory() + "picseek-store-\(UUID().uuidString)"
        path = dir + "/index.sqlite"
    }
    deinit { try? FileManager.default.removeItem(atPath: dir) }
}

private func stamp(_ path: String, size: Int64 = 100, mtime: Int64 = 1) -> FileStamp {
    FileStamp(path: Array(path.utf8), size: size, mtimeNs: mtime)
}

private let meta = PhotoMetadata(
    width: 40, height: 30, takenAt: "2024-05-01 10:00:00", camera: "Cam")

@Suite("Database location")
struct DatabaseLocationTests {
    @Test("--db wins, then PICSEEK_DB, then XDG_DATA_HOME, then HOME")
    func precedence() {
        let env = ["PICSEEK_DB": "/e/db.sqlite", "XDG_DATA_HOME": "/xdg", "HOME": "/home/u"]
        #expect(DatabaseLocation.resolve(explicit: "/x.sqlite", environment: env) == "/x.sqlite")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: env) == "/e/db.sqlite")
        #expect(
            DatabaseLocation.resolve(
                explicit: nil, environment: ["XDG_DATA_HOME": "/xdg/", "HOME": "/h"])
                == "/xdg/picseek/index.sqlite")
        // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored.
        #expect(
            DatabaseLocation.resolve(
                explicit: nil, environment: ["XDG_DATA_HOME": "rel", "HOME": "/h"])
                == "/h/.local/share/picseek/index.sqlite")
        #expect(DatabaseLocation.resolve(explicit: nil, environment: [:]) == nil)
        #expect(
            DatabaseLocation.thumbnailPath(forIndexAt: "/a/index.sqlite")
                == "/a/index.thumbs.sqlite")
        #expect(DatabaseLocation.thumbnailPath(forIndexAt: "/a/db") == "/a/db.thumbs")
    }
}

@Suite("Index store")
struct IndexStoreTests {
    @Test("a new file database uses WAL and 16 KiB pages and reopens without migrating again")
    func fileSettings() throws {
        let t = TempDatabase()
        let store = try IndexStore.open(path: t.path)
        #expect(try store.currentPageSize() == IndexStore.pageSize)
        let mode = try store.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        _ = try store.registerModel(name: "m", family: "f", dimension: 2, fingerprint: "x")
        let again = try IndexStore.open(path: t.path)
        #expect(try again.models().map(\.name) == ["m"])
        #expect(FileManager.default.fileExists(atPath: t.dir + "/index.thumbs.sqlite"))
    }

    @Test("a database migrated by a newer picseek is refused")
    func newerSchema() throws {
        let t = TempDatabase()
        let store = try IndexStore.open(path: t.path)
        try store.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-future')")
        }
        #expect(throws: StoreError.self) { try IndexStore.open(path: t.path) }
    }

    @Test("embedded, reused, failed and removed changes give their outcomes")
    func applyOutcomes() throws {
        let store = try IndexStore.inMemory()
        let model = try store.registerModel(name: "m", family: "f", dimension: 3, fingerprint: "x")
        let hash = [UInt8](repeating: 7, count: 32)
        let first = try store.apply(
            [
                .embedded(stamp("/p/a.jpg"), hash: hash, metadata: meta, vector: [1, 0, 0]),
                .reused(stamp("/p/copy.jpg"), hash: hash),
                .reused(stamp("/p/other.jpg", size: 5), hash: [UInt8](repeating: 9, count: 32)),
                .failed(stamp("/p/bad.jpg"), hash: nil, error: "corrupt jpeg: bad marker"),
            ], model: model)
        #expect(first == [.added, .reused(source: Array("/p/a.jpg".utf8)), .reuseMissed, .failed])
        let copy = try #require(try store.photo(path: Array("/p/copy.jpg".utf8)))
        #expect(copy.width == 40 && copy.takenAt == "2024-05-01 10:00:00" && copy.camera == "Cam")
        #expect(try store.vector(photoID: copy.id, model: model) == [1, 0, 0])
        #expect(try store.photo(path: Array("/p/other.jpg".utf8)) == nil)
        #expect(try store.failedPhotos().map(\.error) == ["corrupt jpeg: bad marker"])

        let second = try store.apply(
            [.removed(path: Array("/p/a.jpg".utf8)), .removed(path: Array("/p/none.jpg".utf8))],
            model: model)
        #expect(second == [.removed(true), .removed(false)])
        #expect(try store.vectorCount(model: model) == 1)
    }

    @Test("new content drops every model's vectors; a new model keeps the others")
    func contentChange() throws {
        let store = try IndexStore.inMemory()
        let m1 = try store.registerModel(name: "one", family: "f", dimension: 2, fingerprint: "a")
        let m2 = try store.registerModel(name: "two", family: "f", dimension: 2, fingerprint: "b")
        let h1 = [UInt8](repeating: 1, count: 32)
        _ = try store.apply(
            [.embedded(stamp("/a.jpg"), hash: h1, metadata: meta, vector: [1, 0])], model: m1)
        // Same content, second model: both vectors stay.
        _ = try store.apply(
            [.embedded(stamp("/a.jpg"), hash: h1, metadata: meta, vector: [0, 1])], model: m2)
        #expect(try store.vectorCount(model: m1) == 1)
        #expect(try store.vectorCount(model: m2) == 1)
        // New content embedded with the second model: the first model's stale vector goes.
        let h2 = [UInt8](repeating: 2, count: 32)
        _ = try store.apply(
            [
                .embedded(
                    stamp("/a.jpg", size: 200, mtime: 2), hash: h2, metadata: meta,
                    vector: [0.6, 0.8])
            ],
            model: m2)
        #expect(try store.vectorCount(model: m1) == 0)
        #expect(try store.vectorCount(model: m2) == 1)
        let photos = try store.photoStates(under: [Array("/".utf8)], modelID: m1.id)
        #expect(photos[Array("/a.jpg".utf8)]?.embedded == false)
        #expect(photos[Array("/a.jpg".utf8)]?.size == 200)
    }

    @Test("a vector of the wrong length and changed weights are refused")
    func contracts() throws {
        let store = try IndexStore.inMemory()
        let model = try store.registerModel(name: "m", family: "f", dimension: 3, fingerprint: "x")
        #expect(throws: StoreError.self) {
            try store.apply(
                [.embedded(stamp("/a.jpg"), hash: [1], metadata: meta, vector: [1, 0])],
                model: model)
        }
        #expect(try store.allPhotos().isEmpty) // the transaction rolled back
        #expect(throws: StoreError.self) {
            try store.registerModel(name: "m", family: "f", dimension: 3, fingerprint: "y")
        }
    }

    @Test("forget removes a file or a folder's contents, not siblings sharing a prefix")
    func forget() throws {
        let store = try IndexStore.inMemory()
        let model = try store.registerModel(name: "m", family: "f", dimension: 1, fingerprint: "x")
        let paths = ["/a/b/1.jpg", "/a/b/c/2.jpg", "/a/bc/3.jpg", "/a/b.jpg"]
        _ = try store.apply(
            paths.enumerated().map { i, p in
                .embedded(stamp(p), hash: [UInt8(i)], metadata: meta, vector: [1])
            }, model: model)
        try store.addRoot(Array("/a/b".utf8))
        try store.addRoot(Array("/a/bc".utf8))
        #expect(try store.forget(path: Array("/a/b".utf8)) == 2)
        #expect(
            try store.allPhotos().map { String(decoding: $0.path, as: UTF8.self) }
                == ["/a/b.jpg", "/a/bc/3.jpg"])
        #expect(try store.roots().map(\.path) == [Array("/a/bc".utf8)])
        #expect(try store.forget(path: Array("/a/b.jpg".utf8)) == 1)
    }

    @Test("invalid UTF-8 paths round-trip byte for byte")
    func rawPaths() throws {
        let store = try IndexStore.inMemory()
        let model = try store.registerModel(name: "m", family: "f", dimension: 1, fingerprint: "x")
        let raw: [UInt8] = [0x2F, 0x78, 0xFF, 0x0A, 0x1B, 0x2E, 0x6A, 0x70, 0x67]
        _ = try store.apply(
            [
                .embedded(
                    FileStamp(path: raw, size: 1, mtimeNs: 1), hash: [1], metadata: meta,
                    vector: [1])
            ],
            model: model)
        #expect(try store.allPhotos().map(\.path) == [raw])
        #expect(try store.photo(path: raw) != nil)
    }

    @Test("vectors load as one contiguous matrix in insertion order; the generation grows")
    func loadVectors() throws {
        let store = try IndexStore.inMemory()
        let model = try store.registerModel(name: "m", family: "f", dimension: 2, fingerprint: "x")
        let g0 = try store.generation()
        _ = try store.apply(
            [
                .embedded(stamp("/z.jpg"), hash: [1], metadata: meta, vector: [1, 2]),
                .embedded(
                    stamp("/a.jpg"), hash: [2], metadata: PhotoMetadata(width: 1, height: 1),
                    vector: [3, 4]),
            ], model: model)
        let set = try store.loadVectors(model: model)
        #expect(set.matrix == [1, 2, 3, 4])
        #expect(set.paths == [Array("/z.jpg".utf8), Array("/a.jpg".utf8)])
        #expect(set.takenAt == ["2024-05-01 10:00:00", nil])
        #expect(set.generation > g0)
        #expect(try store.generation() == set.generation)
    }

    @Test("thumbnails are stored by hash in their own database and pruned")
    func thumbnails() throws {
        let t = TempDatabase()
        let store = try IndexStore.open(path: t.path)
        let thumb = Thumbnail(jpeg: [0xFF, 0xD8, 1, 2], width: 2, height: 1)
        try store.thumbnails.put([([1], thumb), ([2], thumb)])
        #expect(try store.thumbnails.get(hash: [1]) == thumb)
        #expect(try store.thumbnails.get(hash: [3]) == nil)
        #expect(try store.thumbnails.prune(keeping: [[2]]) == 1)
        #expect(try store.thumbnails.count() == 1)
        // Nothing of it lands in the index file's tables.
        let tables = try store.read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(!tables.contains("thumbnails"))
    }

    @Test("the writer lock admits one holder and names it to the next")
    func writerLock() throws {
        let t = TempDatabase()
        let store = try IndexStore.open(path: t.path)
        let first = try #require(try store.lockForWriting())
        do {
            _ = try store.lockForWriting()
            Issue.record("a second writer got the lock")
        } catch let StoreError.busy(_, pid) {
            #expect(pid == getpid())
        }
        first.release()
        let again = try store.lockForWriting()
        #expect(again != nil)
    }

    @Test("runs record their outcome and counts")
    func runs() throws {
        let store = try IndexStore.inMemory()
        let model = try store.registerModel(name: "m", family: "f", dimension: 1, fingerprint: "x")
        let id = try store.beginRun(model: model)
        #expect(try store.runs().first?.outcome == nil)
        var counts = RunCounts()
        counts.added = 3
        counts.failed = 1
        try store.finishRun(id, outcome: "completed", counts: counts)
        let run = try #require(try store.summary().lastRun)
        #expect(
            run.outcome == "completed" && run.added == 3 && run.failed == 1 && run.modelName == "m")
    }

    @Test("the summary for one model counts its vectors, lists loadable models with vectors")
    func summaryForModel() throws {
        let store = try IndexStore.inMemory()
        let one = try store.registerModel(name: "one", family: "f", dimension: 2, fingerprint: "a")
        let two = try store.registerModel(name: "two", family: "f", dimension: 2, fingerprint: "b")
        _ = try store.registerModel(name: "empty", family: "f", dimension: 2, fingerprint: "c")
        try store.addRoot(Array("/p".utf8))
        _ = try store.apply(
            [
                .embedded(
                    stamp("/p/a.jpg"), hash: [UInt8](repeating: 1, count: 32), metadata: meta,
                    vector: [1, 0]),
                .embedded(
                    stamp("/p/b.jpg"), hash: [UInt8](repeating: 2, count: 32), metadata: meta,
                    vector: [0, 1]),
                .failed(stamp("/p/bad.jpg"), hash: nil, error: "corrupt jpeg: bad marker"),
            ], model: one)
        _ = try store.apply(
            [
                .embedded(
                    stamp("/p/a.jpg"), hash: [UInt8](repeating: 1, count: 32), metadata: meta,
                    vector: [1, 0])
            ], model: two)

        let summary = try store.summary(model: "two") { _ in true }
        #expect(summary.photos == 1 && summary.errors == 1 && summary.modelName == "two")
        #expect(summary.roots == ["/p"])
        #expect(summary.models == ["one", "two"]) // "empty" has no vectors
        #expect(summary.readOnlyReason == nil)
        let onlyTwo = try store.summary(model: "one", roots: [Array("/q".utf8)]) { $0 == "two" }
        #expect(onlyTwo.photos == 2 && onlyTwo.roots == ["/q"] && onlyTwo.models == ["two"])
    }
}
