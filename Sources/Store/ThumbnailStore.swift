import Foundation
import GRDB

/// A stored preview: JPEG bytes and their pixel size.
public struct Thumbnail: Equatable, Sendable {
    /// JPEG-encoded pixels.
    public var jpeg: [UInt8]
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    public init(jpeg: [UInt8], width: Int, height: Int) {
        self.jpeg = jpeg
        self.width = width
        self.height = height
    }
}

/// Small JPEG previews for the explorer, in a database file of their own
/// (`index.thumbs.sqlite` beside `index.sqlite`).
///
/// Keyed by the photo's content hash, so a moved or duplicated photo shares
/// one thumbnail and a rename needs no new one. Keeping them out of the index
/// file keeps that file close to the size of its vectors, and the index can be
/// copied or backed up without the previews. A thumbnail is written before the
/// index row that refers to it; a crash in between leaves at worst an unused
/// thumbnail, never a row whose thumbnail is missing.
public final class ThumbnailStore: @unchecked Sendable {
    /// Where the thumbnails live, for messages.
    public let path: String
    let writer: any DatabaseWriter

    /// Why the thumbnail file could not be opened (previews then live in memory for this
    /// run only); nil when it is in use.
    public let problem: String?

    static func open(path: String, readOnly: Bool = false) throws -> ThumbnailStore {
        try IndexStore.checkHeader(path)
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.readonly = readOnly
        config.prepareDatabase { db in
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
        }
        let pool = try DatabasePool(
            path: readOnly ? IndexStore.readOnlyLocation(path) : path, configuration: config)
        let store = ThumbnailStore(path: path, writer: pool, problem: nil)
        if readOnly {
            let exists = try pool.read { try $0.tableExists("thumbnails") }
            if !exists {
                throw StoreError.cannotMigrate(
                    path: path, found: 0, supported: 1, reason: IndexStore.writeBlocker(path))
            }
        } else {
            try store.migrate()
        }
        // Reading a row finds a damaged or foreign file now rather than mid-run.
        _ = try pool.read {
            try Row.fetchOne($0, sql: "SELECT content_hash FROM thumbnails LIMIT 1")
        }
        return store
    }

    /// `open`, or, when the file is missing (read-only), damaged, foreign or cannot be
    /// written, an empty in-memory store that names the problem: previews are a cache and never
    /// stop the index from opening. `picseek doctor --repair` moves a bad file aside.
    static func openOrFallback(path: String, readOnly: Bool) -> ThumbnailStore {
        if readOnly && !FileManager.default.fileExists(atPath: path) {
            return fallback(path: path, problem: "\(path) does not exist")
        }
        do {
            return try open(path: path, readOnly: readOnly)
        } catch {
            let wrapped = StoreError.wrap(error, path: path)
            switch wrapped as? StoreError {
            case .notADatabase?:
                return fallback(
                    path: path, problem: "\(path) is not an SQLite database (overwritten?)")
            case .corrupt(_, let detail)?:
                return fallback(path: path, problem: "\(path) is damaged (\(detail))")
            default:
                return fallback(path: path, problem: "\(wrapped)")
            }
        }
    }

    private static func fallback(path: String, problem: String) -> ThumbnailStore {
        // An in-memory SQLite database needs no disk; this cannot fail short of no memory.
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue()
        } catch {
            preconditionFailure("in-memory SQLite: \(error)")
        }
        let store = ThumbnailStore(path: path, writer: queue, problem: problem)
        try? store.migrate()
        return store
    }

    static func inMemory() throws -> ThumbnailStore {
        let store = ThumbnailStore(path: ":memory:", writer: try DatabaseQueue(), problem: nil)
        try store.migrate()
        return store
    }

    private init(path: String, writer: any DatabaseWriter, problem: String?) {
        self.path = path
        self.writer = writer
        self.problem = problem
    }

    private func migrate() throws {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-thumbnails") { db in
            try db.execute(
                sql: """
                    CREATE TABLE thumbnails (
                        content_hash BLOB PRIMARY KEY,
                        width INTEGER NOT NULL,
                        height INTEGER NOT NULL,
                        jpeg BLOB NOT NULL
                    )
                    """)
        }
        try migrator.migrate(writer)
    }

    /// Stores thumbnails, replacing any with the same hash, in one transaction.
    public func put(_ items: [(hash: [UInt8], thumbnail: Thumbnail)]) throws {
        guard !items.isEmpty else { return }
        do {
            try writer.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        INSERT OR REPLACE INTO thumbnails(content_hash, width, height, jpeg)
                        VALUES (?, ?, ?, ?)
                        """)
                for item in items {
                    try statement.execute(arguments: [
                        Data(item.hash), item.thumbnail.width, item.thumbnail.height,
                        Data(item.thumbnail.jpeg),
                    ])
                }
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// The thumbnail of the content with this hash, if stored.
    public func get(hash: [UInt8]) throws -> Thumbnail? {
        do {
            return try writer.read { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: "SELECT width, height, jpeg FROM thumbnails WHERE content_hash = ?",
                        arguments: [Data(hash)])
                else { return nil }
                let jpeg: Data = row["jpeg"]
                return Thumbnail(jpeg: [UInt8](jpeg), width: row["width"], height: row["height"])
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Whether a thumbnail with this hash is stored.
    public func contains(hash: [UInt8]) throws -> Bool {
        do {
            return try writer.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS(SELECT 1 FROM thumbnails WHERE content_hash = ?)",
                    arguments: [Data(hash)]) ?? false
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Deletes thumbnails whose hash is not in `keep`; returns how many went.
    public func prune(keeping keep: Set<[UInt8]>) throws -> Int {
        do {
            return try writer.write { db in
                let all = try Data.fetchAll(db, sql: "SELECT content_hash FROM thumbnails")
                var removed = 0
                for hash in all where !keep.contains([UInt8](hash)) {
                    try db.execute(
                        sql: "DELETE FROM thumbnails WHERE content_hash = ?", arguments: [hash])
                    removed += 1
                }
                return removed
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Number of stored thumbnails.
    public func count() throws -> Int {
        do {
            return try writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM thumbnails") ?? 0
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }
}
