import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// The photo index: an SQLite database in WAL mode holding photos, indexed
/// roots, models and one embedding per (photo, model), plus a companion
/// thumbnail database.
///
/// Writers use `BEGIN IMMEDIATE` transactions; readers never block them.
public final class IndexStore: PhotoIndex, @unchecked Sendable {
    /// Where the database lives, for messages; ":memory:" for tests.
    public let path: String
    /// Small JPEG previews keyed by content hash, in their own file.
    public let thumbnailFile: ThumbnailStore
    /// The thumbnails, as every kind of index has them.
    public var thumbnails: any ThumbnailKeeping { thumbnailFile }
    let writer: any DatabaseWriter

    /// Bytes per database page. 16 KiB pages hold seven 512-d float32 vectors
    /// (2 KiB each) with about 12 % slack; 4 KiB pages would hold only one
    /// and waste half the file.
    public static let pageSize = 16384

    /// How a command uses the index.
    public enum Mode: Sendable {
        /// Creates the file if needed, migrates it, and writes (`index`, `forget`, `explore`).
        case readWrite
        /// Never writes: no migration, no pragma that writes, no WAL checkpoint (SQLite opens
        /// the files read-only). Works on a full disk, a read-only file or mount, and a
        /// database another user owns; the schema must be current.
        case readOnly
    }

    /// Why this store was opened read-only (a read-only mount, a full disk, no permission,
    /// or a read-only command); nil when it writes.
    public let readOnlyReason: String?

    /// Opens the database at `path` with its thumbnail database beside it. In `.readWrite`
    /// mode the file is created if needed and both are migrated.
    ///
    /// - Throws: `StoreError.notADatabase`, `.foreignDatabase`, `.corrupt`, `.newerSchema`,
    ///   `.diskFull`; in `.readOnly` mode `.cannotMigrate` when the schema is not current.
    ///   A thumbnail database that cannot be opened does not fail the index: the store then
    ///   keeps previews in memory and `thumbnailProblem` says why.
    public static func open(path: String, mode: Mode = .readWrite) throws -> IndexStore {
        do {
            try checkHeader(path)
            let thumbPath = DatabaseLocation.thumbnailPath(forIndexAt: path)
            switch mode {
            case .readWrite:
                if FreeSpace.isReadOnlyMount(near: path) {
                    throw StoreError.readOnly(
                        path: path, reason: "its file system is mounted read-only")
                }
                let dir = (path as NSString).deletingLastPathComponent
                if !dir.isEmpty {
                    try FileManager.default.createDirectory(
                        atPath: dir, withIntermediateDirectories: true)
                }
                // Opening a pool for writing writes (GRDB makes a non-empty WAL): refuse another
                // program's database before that, looking at it read-only.
                try refuseForeign(path)
                let pool = try DatabasePool(path: path, configuration: configuration())
                let store = IndexStore(
                    path: path, writer: pool,
                    thumbnails: ThumbnailStore.openOrFallback(
                        path: thumbPath, readOnly: false), readOnly: false)
                try store.migrate()
                return store
            case .readOnly:
                var config = configuration()
                config.readonly = true
                let pool = try DatabasePool(
                    path: readOnlyLocation(path), configuration: config)
                let store = IndexStore(
                    path: path, writer: pool,
                    thumbnails: ThumbnailStore.openOrFallback(
                        path: thumbPath, readOnly: true), readOnly: true)
                try store.checkSchemaIsCurrent()
                return store
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// What SQLite is given to open `path` read-only. A WAL database needs its `-shm` file;
    /// when neither it nor the `-wal` file exists and they cannot be created (a read-only
    /// mount or folder, a full disk), the file is opened as immutable (a URI with
    /// `immutable=1`): no other process can be changing it then.
    static func readOnlyLocation(_ path: String) -> String {
        let fm = FileManager.default
        guard !fm.fileExists(atPath: path + "-wal"), !fm.fileExists(atPath: path + "-shm"),
            writeProblem(at: path) != nil
        else { return path }
        var uri = "file:"
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0..<0x21, 0x7F...:
                uri += String(format: "%%%02X", byte)
            default:
                uri.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return uri + "?immutable=1"
    }

    /// Throws `StoreError.notADatabase` when `path` holds bytes that are not an SQLite
    /// database (an empty or missing file is a new index).
    static func checkHeader(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 16)) ?? Data()
        if head.isEmpty { return }
        if head != Data("SQLite format 3\0".utf8) { throw StoreError.notADatabase(path: path) }
    }

    /// Opens a private in-memory database, for tests.
    public static func inMemory() throws -> IndexStore {
        let queue = try DatabaseQueue(configuration: configuration())
        let store = IndexStore(
            path: ":memory:", writer: queue, thumbnails: try ThumbnailStore.inMemory(),
            readOnly: false)
        try store.migrate()
        return store
    }

    init(path: String, writer: any DatabaseWriter, thumbnails: ThumbnailStore, readOnly: Bool) {
        self.path = path
        self.writer = writer
        self.thumbnailFile = thumbnails
        self.readOnlyReason = readOnly ? Self.writeBlocker(path) : nil
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        // A writer waits up to 10 s for another writer instead of failing.
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            if !db.configuration.readonly {
                // page_size only takes effect before the first table exists.
                try db.execute(sql: "PRAGMA page_size = \(pageSize)")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        return config
    }

    /// The highest schema version this build understands.
    public static let schemaVersion = Migrations.all.count

    /// The highest schema version this build understands (`schemaVersion`).
    public var supportedSchemaVersion: Int { Self.schemaVersion }

    /// Bytes of the index file and of its thumbnail file, each with its `-wal` file.
    public func storageSizes() -> (index: Int64, thumbnails: Int64) {
        func size(_ path: String) -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?
                .int64Value ?? 0
        }
        return (
            size(path) + size(path + "-wal"),
            size(thumbnailFile.path) + size(thumbnailFile.path + "-wal")
        )
    }

    /// Throws `StoreError.foreignDatabase` when the non-empty file at `path` is an SQLite
    /// database of another schema; reads it read-only.
    static func refuseForeign(_ path: String) throws {
        let size =
            (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?
            .int64Value ?? 0
        guard size > 0 else { return }
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: readOnlyLocation(path), configuration: config)
        let (applied, tables) = try queue.read { try schemaState($0) }
        let known = Set(Migrations.all.map(\.0))
        let foreignMigrations = applied.map { !$0.isEmpty && Set($0).isDisjoint(with: known) }
        if (applied == nil && !tables.isEmpty) || foreignMigrations == true {
            throw StoreError.foreignDatabase(path: path, tables: tables)
        }
    }

    /// Applied migrations and the names of the tables, read without writing.
    private func schemaState() throws -> (applied: [String]?, tables: [String]) {
        try writer.read { try Self.schemaState($0) }
    }

    private static func schemaState(
        _ db: Database
    ) throws -> (applied: [String]?, tables: [String]) {
        let tables = try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                ORDER BY name
                """)
        guard tables.contains("grdb_migrations") else { return (nil, tables) }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        return (applied, tables)
    }

    /// The schema version this database has (0: none yet).
    public func schemaVersionFound() throws -> Int {
        do {
            return try schemaState().applied?.count ?? 0
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Throws unless the schema is exactly the one this build writes (read-only mode).
    private func checkSchemaIsCurrent() throws {
        let (applied, tables) = try schemaState()
        let known = Migrations.all.map(\.0)
        if let applied, !applied.isEmpty, Set(applied).isDisjoint(with: Set(known)) {
            throw StoreError.foreignDatabase(path: path, tables: tables)
        }
        guard let applied else {
            if !tables.isEmpty { throw StoreError.foreignDatabase(path: path, tables: tables) }
            throw StoreError.cannotMigrate(
                path: path, found: 0, supported: known.count, reason: Self.writeBlocker(path))
        }
        if !Set(applied).isSubset(of: Set(known)) {
            throw StoreError.newerSchema(found: applied.count, supported: known.count, path: path)
        }
        if applied.count < known.count {
            throw StoreError.cannotMigrate(
                path: path, found: applied.count, supported: known.count,
                reason: Self.writeBlocker(path))
        }
    }

    /// Why `path` is not being written, in words, for messages of read-only opens.
    static func writeBlocker(_ path: String) -> String {
        writeProblem(at: path) ?? "it was opened read-only"
    }

    /// Why the index at `path` (and its `-wal` and `-shm` files beside it) cannot be written
    /// now, or nil when it can: a read-only mount, a full disk (under 1 MB free), or a file or
    /// folder this user may not write.
    public static func writeProblem(at path: String) -> String? {
        if FreeSpace.isReadOnlyMount(near: path) { return "its file system is mounted read-only" }
        if let free = FreeSpace.available(near: path), free < 1_000_000 {
            return "the disk is full (\(StoreError.megabytes(free)) free)"
        }
        let dir = (path as NSString).deletingLastPathComponent
        if FileManager.default.fileExists(atPath: path), access(path, W_OK) != 0 {
            return "the file is not writable by this user"
        }
        if !dir.isEmpty, FileManager.default.fileExists(atPath: dir), access(dir, W_OK) != 0 {
            return "its folder is not writable by this user"
        }
        return nil
    }

    private func migrate() throws {
        do {
            let migrator = Migrations.migrator()
            let known = Set(Migrations.all.map(\.0))
            let (applied, tables) = try schemaState()
            let foreignMigrations = applied.map { !$0.isEmpty && Set($0).isDisjoint(with: known) }
            if (applied == nil && !tables.isEmpty) || foreignMigrations == true {
                // Someone else's database: never add our tables to it.
                throw StoreError.foreignDatabase(path: path, tables: tables)
            }
            if let applied, !Set(applied).isSubset(of: known) {
                throw StoreError.newerSchema(
                    found: applied.count, supported: Migrations.all.count, path: path)
            }
            if (applied?.count ?? 0) < known.count {
                do {
                    try migrator.migrate(writer)
                } catch let error as DatabaseError
                    where error.resultCode == .SQLITE_FULL || error.resultCode == .SQLITE_READONLY
                {
                    let free = StoreError.megabytes(FreeSpace.available(near: path) ?? 0)
                    let reason =
                        error.resultCode == .SQLITE_FULL
                        ? "the disk is full (\(free) free)" : Self.writeBlocker(path)
                    throw StoreError.cannotMigrate(
                        path: path, found: applied?.count ?? 0, supported: known.count,
                        reason: reason)
                }
            }
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Takes the one-writer-at-a-time lock for this database (`<db>.lock`).
    ///
    /// Throws `StoreError.busy` when another indexer holds it. In-memory
    /// stores return nil: nothing else can reach them.
    public func lockForWriting() throws -> (any IndexWriteLock)? {
        if path == ":memory:" { return nil }
        if isReadOnly {
            throw StoreError.readOnly(path: path, reason: "opened read-only")
        }
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
        guard path != ":memory:", !isReadOnly else { return }
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
