import Foundation
import PicseekCore

/// The photo index in a PostgreSQL database with pgvector: the same photos, roots, runs,
/// models, vectors, thumbnails and recognised text as `IndexStore`, in the schema `picseek`
/// (see `PostgresMigrations`), reached through libpq.
///
/// One connection serves the store, one thread at a time; writes that belong together run in
/// one transaction, so a connection lost in the middle (server restarted, network cut) leaves
/// nothing half-written. One indexer at a time holds the database's advisory lock.
public final class PostgresStore: PhotoIndex, @unchecked Sendable {
    /// The URL without its password.
    public let path: String
    public let readOnlyReason: String?
    let url: String
    let connection: PostgresConnection
    let lock = NSRecursiveLock()
    private var thumbnailTable: PostgresThumbnails?
    /// The server process of this store's latest writer lock, recorded with its runs so
    /// `status` can tell a run in progress from an interrupted one.
    var lockServerPID: Int32?
    /// This machine's name, as its mounts of named roots and its runs are recorded.
    public let host: String
    /// This machine's mounts of named roots (read with `reloadMounts`).
    var rootPaths = RootPaths()

    /// The key of the advisory lock an indexer holds ("pics").
    static let writerLockKey: Int64 = 0x7069_6373
    /// The key of the advisory lock held while migrating.
    static let migrationLockKey: Int64 = 0x7069_6374

    /// The highest schema version this build understands.
    public static let schemaVersion = PostgresMigrations.all.count
    public var supportedSchemaVersion: Int { Self.schemaVersion }

    public var thumbnails: any ThumbnailKeeping {
        lock.lock()
        defer { lock.unlock() }
        if let thumbnailTable { return thumbnailTable }
        let table = PostgresThumbnails(store: self)
        thumbnailTable = table
        return table
    }

    init(url: String, connection: PostgresConnection, readOnly: Bool, host: String) {
        self.url = url
        self.path = connection.location
        self.connection = connection
        self.readOnlyReason = readOnly ? "it was opened read-only" : nil
        self.host = host
    }

    /// Connects to the database at `url` and prepares it for `purpose`: commands that write
    /// create or upgrade the schema (and the `vector` extension when it is missing and may be
    /// created); reading commands never write and need an index there already. `host` names
    /// this machine for its mounts of named roots and its runs (default: `PICSEEK_HOST`, else
    /// the host name).
    ///
    /// - Throws: `PostgresError` (server unreachable, login refused, no such database, no
    ///   pgvector, no index yet), `StoreError.newerSchema` for an index of a newer picseek.
    public static func open(
        url: String, purpose: IndexOpening.Purpose = .write,
        host: String = RootPaths.currentHost()
    ) throws -> PostgresStore {
        let connection = try PostgresConnection(url: url)
        try connection.execute("SET search_path = picseek, public")
        let store = PostgresStore(
            url: url, connection: connection, readOnly: purpose == .read, host: host)
        switch purpose {
        case .write, .preferWrite:
            try store.migrate()
        case .writeExisting:
            guard try store.schemaVersionFound() > 0 else {
                throw PostgresError.noIndex(location: store.path)
            }
            try store.migrate()
        case .read:
            let found = try store.schemaVersionFound()
            guard found > 0 else { throw PostgresError.noIndex(location: store.path) }
            if found < Self.schemaVersion {
                try store.migrate()
            } else {
                try store.checkNotNewer()
            }
            try connection.execute("SET default_transaction_read_only = on")
        }
        try store.withConnection { conn in try store.reloadMounts(conn) }
        return store
    }

    /// Runs `body` with the connection, one caller at a time.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(connection)
    }

    /// Runs `body` in one transaction.
    @discardableResult
    func write<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { conn in try conn.transaction { try body(conn) } }
    }

    /// Runs `body` in one read-only snapshot.
    func read<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { conn in try conn.transaction(readOnly: true) { try body(conn) } }
    }

    // MARK: Schema

    private func appliedMigrations(_ conn: PostgresConnection) throws -> [String]? {
        let exists = try conn.execute(
            "SELECT to_regclass('picseek.picseek_migrations') IS NOT NULL")
        guard exists.bool(0, 0) == true else { return nil }
        let rows = try conn.execute("SELECT identifier FROM picseek.picseek_migrations")
        return (0..<rows.count).compactMap { rows.text($0, 0) }
    }

    public func schemaVersionFound() throws -> Int {
        try withConnection { conn in try appliedMigrations(conn)?.count ?? 0 }
    }

    private func checkNotNewer() throws {
        try withConnection { conn in
            let applied = try appliedMigrations(conn) ?? []
            let known = Set(PostgresMigrations.all.map(\.0))
            if !Set(applied).isSubset(of: known) {
                throw StoreError.newerSchema(
                    found: applied.count, supported: Self.schemaVersion, path: path)
            }
        }
    }

    /// Creates the `vector` extension when missing, then applies the migrations this database
    /// lacks in one transaction, all under an advisory lock (two processes may start at once).
    private func migrate() throws {
        try withConnection { conn in
            // Two processes opening a new database at once would both create the extension.
            try conn.execute("SELECT pg_advisory_lock($1)", [.int(Self.migrationLockKey)])
            defer {
                _ = try? conn.execute(
                    "SELECT pg_advisory_unlock($1)", [.int(Self.migrationLockKey)])
            }
            let vector = try conn.execute(
                "SELECT count(*) FROM pg_extension WHERE extname = 'vector'")
            if vector.int(0, 0) == 0 {
                do {
                    try conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
                } catch PostgresError.statement(_, _, let message, _) {
                    throw PostgresError.missingVectorExtension(location: path, detail: message)
                }
            }
            try conn.transaction {
                let schema = try conn.execute(
                    "SELECT count(*) FROM pg_namespace WHERE nspname = 'picseek'")
                if schema.int(0, 0) == 1, try appliedMigrations(conn) == nil {
                    let tables = try conn.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'picseek' ORDER BY 1")
                    let names = (0..<tables.count).compactMap { tables.text($0, 0) }
                    if !names.isEmpty {
                        throw PostgresError.foreignDatabase(location: path, tables: names)
                    }
                }
                try conn.execute("CREATE SCHEMA IF NOT EXISTS picseek")
                try conn.execute(
                    """
                    CREATE TABLE IF NOT EXISTS picseek.picseek_migrations (
                        identifier text PRIMARY KEY, applied_at float8 NOT NULL)
                    """)
                let applied = Set(try appliedMigrations(conn) ?? [])
                let known = Set(PostgresMigrations.all.map(\.0))
                if !applied.isSubset(of: known) {
                    throw StoreError.newerSchema(
                        found: applied.count, supported: Self.schemaVersion, path: path)
                }
                for (identifier, statements) in PostgresMigrations.all
                where !applied.contains(identifier) {
                    for statement in statements { try conn.execute(statement) }
                    try conn.execute(
                        "INSERT INTO picseek.picseek_migrations VALUES ($1, $2)",
                        [.text(identifier), .double(Date().timeIntervalSince1970)])
                }
            }
        }
    }

    // MARK: Housekeeping

    /// Hears, once, that `lockForWriting` waits for another indexer (the executable prints it).
    public var lockWaitNotice: ((String) -> Void)?

    /// Takes the database's advisory lock on a connection of its own, held until `release`
    /// or this process ends (the server drops it when the connection closes, even after
    /// `kill -9`). While another indexer (on any machine) holds it, this waits for it, after
    /// telling `lockWaitNotice`: indexers take turns, and the later one finds the earlier
    /// one's photos done, so each photo is indexed once.
    public func lockForWriting() throws -> (any IndexWriteLock)? {
        if let readOnlyReason {
            throw StoreError.readOnly(path: path, reason: readOnlyReason)
        }
        let lock = try PostgresWriteLock.acquire(
            url: url, key: Self.writerLockKey, notice: lockWaitNotice)
        withLock { lockServerPID = lock.serverPID }
        return lock
    }

    /// Takes the indexers' shared advisory lock on a connection of its own: indexers on
    /// several machines hold it at once and share the work by folder (`claim`), while
    /// `lockForWriting`'s holders (`forget`, `db copy`, naming a root, the words pass) wait
    /// for them all and they for it.
    public func lockForIndexing() throws -> (any IndexWriteLock)? {
        if let readOnlyReason {
            throw StoreError.readOnly(path: path, reason: readOnlyReason)
        }
        let lock = try PostgresWriteLock.acquire(
            url: url, key: Self.writerLockKey, notice: lockWaitNotice, shared: true,
            paths: paths)
        withLock { lockServerPID = lock.serverPID }
        return lock
    }

    /// Runs `body` under the store's lock.
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    public func generation() throws -> Int64 {
        try withConnection { conn in
            try conn.execute("SELECT value FROM picseek.generation WHERE id = 1").int(0, 0) ?? 0
        }
    }

    /// Bytes of the index's tables (with their indexes) and of its thumbnail table.
    public func storageSizes() -> (index: Int64, thumbnails: Int64) {
        let sizes = try? withConnection { conn in
            try conn.execute(
                """
                SELECT coalesce(sum(pg_total_relation_size(c.oid))
                           FILTER (WHERE c.relname <> 'thumbnails'), 0)::int8,
                       coalesce(sum(pg_total_relation_size(c.oid))
                           FILTER (WHERE c.relname = 'thumbnails'), 0)::int8
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'picseek' AND c.relkind = 'r'
                """)
        }
        return (sizes?.int(0, 0) ?? 0, sizes?.int(0, 1) ?? 0)
    }

    func bumpGeneration(_ conn: PostgresConnection) throws {
        try conn.execute("UPDATE picseek.generation SET value = value + 1 WHERE id = 1")
    }

    // MARK: Models

    public func registerModel(
        name: String, family: String, dimension: Int, fingerprint: String
    ) throws -> ModelRecord {
        try write { conn in
            try conn.execute("LOCK TABLE picseek.models IN SHARE ROW EXCLUSIVE MODE")
            let rows = try conn.execute(
                "SELECT id, family, dimension, fingerprint FROM picseek.models WHERE name = $1",
                [.text(name)])
            if rows.count > 0 {
                let stored = ModelRecord(
                    id: rows.int(0, 0) ?? 0, name: name, family: rows.text(0, 1) ?? "",
                    dimension: Int(rows.int(0, 2) ?? 0), fingerprint: rows.text(0, 3) ?? "")
                if stored.fingerprint != fingerprint || stored.dimension != dimension {
                    throw StoreError.modelMismatch(
                        name: name,
                        stored: "\(stored.dimension)-d weights \(stored.fingerprint)",
                        given: "\(dimension)-d weights \(fingerprint)")
                }
                return stored
            }
            let inserted = try conn.execute(
                """
                INSERT INTO picseek.models (name, family, dimension, fingerprint)
                VALUES ($1, $2, $3, $4) RETURNING id
                """, [.text(name), .text(family), .int(dimension), .text(fingerprint)])
            let id = inserted.int(0, 0) ?? 0
            try conn.execute(
                PostgresMigrations.createEmbeddings(modelID: id, dimension: dimension))
            return ModelRecord(
                id: id, name: name, family: family, dimension: dimension,
                fingerprint: fingerprint)
        }
    }

    public func models() throws -> [ModelRecord] {
        try withConnection { conn in try models(conn) }
    }

    func models(_ conn: PostgresConnection) throws -> [ModelRecord] {
        let rows = try conn.execute(
            "SELECT id, name, family, dimension, fingerprint FROM picseek.models ORDER BY name")
        return (0..<rows.count).map { Self.model(rows, $0) }
    }

    public func model(named name: String) throws -> ModelRecord? {
        try withConnection { conn in
            let rows = try conn.execute(
                """
                SELECT id, name, family, dimension, fingerprint FROM picseek.models
                WHERE name = $1
                """, [.text(name)])
            return rows.count > 0 ? Self.model(rows, 0) : nil
        }
    }

    static func model(_ rows: PGResult, _ row: Int) -> ModelRecord {
        ModelRecord(
            id: rows.int(row, 0) ?? 0, name: rows.text(row, 1) ?? "",
            family: rows.text(row, 2) ?? "", dimension: Int(rows.int(row, 3) ?? 0),
            fingerprint: rows.text(row, 4) ?? "")
    }
}

/// The advisory lock of one indexer, on a connection of its own: exclusive, or shared by
/// indexers that claim folders (session advisory locks on the same connection).
final class PostgresWriteLock: IndexWriteLock {
    private let connection: PostgresConnection
    private let key: Int64
    private let shared: Bool
    private let paths: RootPaths

    private init(connection: PostgresConnection, key: Int64, shared: Bool, paths: RootPaths) {
        self.connection = connection
        self.key = key
        self.shared = shared
        self.paths = paths
    }

    var sharesWork: Bool { shared }

    /// The first key of folder claims (the second is the folder's hash): "picf".
    static let claimSpace: Int64 = 0x7069_6366

    /// A 31-bit FNV-1a hash of the folder's stored path, the same on every machine.
    static func claimKey(_ stored: [UInt8]) -> Int64 {
        var hash: UInt32 = 2_166_136_261
        for byte in stored { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return Int64(hash & 0x7FFF_FFFF)
    }

    func claim(folder: [UInt8], wait: Bool) throws -> Bool {
        let parameters: [PGValue] = [
            .int(Self.claimSpace), .int(Self.claimKey(paths.stored(folder))),
        ]
        if wait {
            try connection.execute("SELECT pg_advisory_lock($1::int4, $2::int4)", parameters)
            return true
        }
        return try connection.execute(
            "SELECT pg_try_advisory_lock($1::int4, $2::int4)", parameters
        ).bool(0, 0) == true
    }

    func unclaim(folder: [UInt8]) {
        _ = try? connection.execute(
            "SELECT pg_advisory_unlock($1::int4, $2::int4)",
            [.int(Self.claimSpace), .int(Self.claimKey(paths.stored(folder)))])
    }

    /// The server process holding the lock.
    var serverPID: Int32 { connection.backendPID }

    /// Takes the lock, waiting for its holder when there is one (after telling `notice`).
    static func acquire(
        url: String, key: Int64, notice: ((String) -> Void)?, shared: Bool = false,
        paths: RootPaths = RootPaths()
    ) throws -> PostgresWriteLock {
        let connection = try PostgresConnection(url: url)
        let kind = shared ? "_shared" : ""
        let taken = try connection.execute(
            "SELECT pg_try_advisory_lock\(kind)($1)", [.int(key)])
        if taken.bool(0, 0) != true {
            notice?(
                "another indexer is writing \(TerminalSafe.escape(connection.location)); "
                    + "waiting for it to finish")
            try connection.execute("SELECT pg_advisory_lock\(kind)($1)", [.int(key)])
        }
        return PostgresWriteLock(connection: connection, key: key, shared: shared, paths: paths)
    }

    func release() {
        let kind = shared ? "_shared" : ""
        _ = try? connection.execute("SELECT pg_advisory_unlock\(kind)($1)", [.int(key)])
        connection.close()
    }
}

/// The thumbnails of a PostgreSQL index: its `thumbnails` table.
final class PostgresThumbnails: ThumbnailKeeping, @unchecked Sendable {
    private unowned let store: PostgresStore

    init(store: PostgresStore) { self.store = store }

    /// Always stored: the table is part of the index.
    var problem: String? { nil }

    func put(_ items: [(hash: [UInt8], thumbnail: Thumbnail)]) throws {
        guard !items.isEmpty else { return }
        try store.write { conn in
            for item in items {
                try conn.execute(
                    """
                    INSERT INTO picseek.thumbnails (content_hash, width, height, jpeg)
                    VALUES ($1, $2, $3, $4)
                    ON CONFLICT (content_hash) DO UPDATE
                    SET width = excluded.width, height = excluded.height, jpeg = excluded.jpeg
                    """,
                    [
                        .bytes(item.hash), .int(item.thumbnail.width),
                        .int(item.thumbnail.height), .bytes(item.thumbnail.jpeg),
                    ])
            }
        }
    }

    func get(hash: [UInt8]) throws -> Thumbnail? {
        try store.withConnection { conn in
            let rows = try conn.execute(
                "SELECT width, height, jpeg FROM picseek.thumbnails WHERE content_hash = $1",
                [.bytes(hash)])
            guard rows.count > 0, let jpeg = rows.bytes(0, 2) else { return nil }
            return Thumbnail(
                jpeg: jpeg, width: Int(rows.int(0, 0) ?? 0), height: Int(rows.int(0, 1) ?? 0))
        }
    }

    func contains(hash: [UInt8]) throws -> Bool {
        try store.withConnection { conn in
            try conn.execute(
                "SELECT count(*) FROM picseek.thumbnails WHERE content_hash = $1", [.bytes(hash)]
            ).int(0, 0) ?? 0 > 0
        }
    }

    @discardableResult
    func prune(keeping keep: Set<[UInt8]>) throws -> Int {
        try store.write { conn in
            let rows = try conn.execute("SELECT content_hash FROM picseek.thumbnails")
            var removed = 0
            for row in 0..<rows.count {
                guard let hash = rows.bytes(row, 0), !keep.contains(hash) else { continue }
                try conn.execute(
                    "DELETE FROM picseek.thumbnails WHERE content_hash = $1", [.bytes(hash)])
                removed += 1
            }
            return removed
        }
    }

    func count() throws -> Int {
        try store.withConnection { conn in
            Int(try conn.execute("SELECT count(*) FROM picseek.thumbnails").int(0, 0) ?? 0)
        }
    }
}
