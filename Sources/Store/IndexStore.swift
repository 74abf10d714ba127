import Foundation
import GRDB

/// The photo index: an SQLite database in WAL mode holding photos, indexed
/// roots, models and one embedding per (photo, model), plus a companion
/// thumbnail database.
///
/// Writers use `BEGIN IMMEDIATE` transactions; readers never block them.
public final class IndexStore: @unchecked Sendable {
    /// Where the database lives, for messages; ":memory:" for tests.
    public let path: String
    /// Small JPEG previews keyed by content hash, in their own file.
    public let thumbnails: ThumbnailStore
    let writer: any DatabaseWriter

    /// Bytes per database page. 16 KiB pages hold seven 512-d float32 vectors
    /// (2 KiB each) with about 12 % slack; 4 KiB pages would hold only one
    /// and waste half the file.
    public static let pageSize = 16384

    /// Opens (creating if needed) the database at `path`, its thumbnail
    /// database beside it, and migrates both.
    public static func open(path: String) throws -> IndexStore {
        do {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                try FileManager.default.createDirectory(
                    atPath: dir, withIntermediateDirectories: true)
            }
            let pool = try DatabasePool(path: path, configuration: configuration())
            let thumbs = try ThumbnailStore.open(
                path: DatabaseLocation.thumbnailPath(forIndexAt: path))
            let store = IndexStore(path: path, writer: pool, thumbnails: thumbs)
            try store.migrate()
            return store
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Opens a private in-memory database, for tests.
    public static func inMemory() throws -> IndexStore {
        let queue = try DatabaseQueue(configuration: configuration())
        let store = IndexStore(
            path: ":memory:", writer: queue, thumbnails: try ThumbnailStore.inMemory())
        try store.migrate()
        return store
    }

    init(path: String, writer: any DatabaseWriter, thumbnails: ThumbnailStore) {
        self.path = path
        self.writer = writer
        self.thumbnails = thumbnails
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        // A writer waits up to 10 s for another writer instead of failing.
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // page_size only takes effect before the first table exists.
            try db.execute(sql: "PRAGMA page_size = \(pageSize)")
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        return config
    }

    /// The highest schema version this build understands.
    public static let schemaVersion = Migrations.all.count

    private func migrate() throws {
        do {
            let migrator = Migrations.migrator()
            let known = Set(Migrations.all.map(\.0))
            let applied = try writer.read { try migrator.appliedIdentifiers($0) }
            if !applied.isSubset(of: known) {
                throw StoreError.newerSchema(
                    found: applied.count, supported: Migrations.all.count, path: path)
            }
            try migrator.migrate(writer)
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Takes the one-writer-at-a-time lock for this database (`<db>.lock`).
    ///
    /// Throws `StoreError.busy` when another indexer holds it. In-memory
    /// stores return nil: nothing else can reach them.
    public func lockForWriting() throws -> WriterLock? {
        if path == ":memory:" { return nil }
        return try WriterLock.acquire(path: DatabaseLocation.lockPath(forIndexAt: path))
    }

    /// Runs `body` in a write transaction, wrapping SQLite errors.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.write(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// Runs `body` in a read transaction, wrapping SQLite errors.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.read(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// Bumps the change counter; called inside every write that changes
    /// photos or embeddings.
    func bumpGeneration(_ db: Database) throws {
        try db.execute(sql: "UPDATE generation SET value = value + 1 WHERE id = 1")
    }

    /// A counter that grows whenever photos or vectors change; a search
    /// engine compares it to decide whether to reload its matrix.
    public func generation() throws -> Int64 {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM generation WHERE id = 1") ?? 0
        }
    }

    /// Runs `PRAGMA integrity_check` and returns its lines ("ok" when sound).
    public func integrityCheck() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// Runs a passive WAL checkpoint so the `-wal` file does not grow without
    /// bound while readers come and go.
    public func checkpoint() throws {
        guard path != ":memory:" else { return }
        do {
            try writer.writeWithoutTransaction { db in
                _ = try db.checkpoint(.passive)
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// The database page size in bytes, as SQLite reports it.
    public func currentPageSize() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0 }
    }
}
