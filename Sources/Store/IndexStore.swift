import Foundation
import GRDB

/// The photo index: an SQLite database in WAL mode holding photos, indexed
/// roots, models and one embedding per (photo, model).
///
/// Writers use `BEGIN IMMEDIATE` transactions; readers never block them.
public final class IndexStore: @unchecked Sendable {
    /// Where the database lives, for messages; ":memory:" for tests.
    public let path: String
    let writer: any DatabaseWriter

    /// Opens (creating if needed) the database at `path` and migrates it.
    public static func open(path: String) throws -> IndexStore {
        do {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty {
                try FileManager.default.createDirectory(
                    atPath: dir, withIntermediateDirectories: true)
            }
            let pool = try DatabasePool(path: path, configuration: configuration())
            let store = IndexStore(path: path, writer: pool)
            try store.migrate()
            return store
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Opens a private in-memory database, for tests.
    public static func inMemory() throws -> IndexStore {
        let queue = try DatabaseQueue(configuration: configuration())
        let store = IndexStore(path: ":memory:", writer: queue)
        try store.migrate()
        return store
    }

    init(path: String, writer: any DatabaseWriter) {
        self.path = path
        self.writer = writer
    }

    private static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // page_size only takes effect before the first table exists; 8 KiB
            // pages keep 2 KiB vectors from wasting half of every page.
            try db.execute(sql: "PRAGMA page_size = 8192")
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
            try Migrations.migrator().migrate(writer)
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Runs `body` in a write transaction, wrapping SQLite errors.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.write(body) } catch { throw StoreError.wrap(error, path: path) }
    }

    /// Runs `body` in a read transaction, wrapping SQLite errors.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try writer.read(body) } catch { throw StoreError.wrap(error, path: path) }
    }
}
