import Foundation
import PicseekCore

/// The photo columns every photo query selects, in `storedPhoto`'s order.
private let photoColumns = """
    id, path, size, mtime_ns, content_hash, width, height, taken_at, camera, error, indexed_at
    """

extension PostgresStore {
    public func photoStates(
        under roots: [[UInt8]], modelID: Int64
    ) throws -> [[UInt8]: PhotoState] {
        let table = PostgresMigrations.embeddingsTable(modelID)
        let paths = self.paths
        return try read { conn in
            var out: [[UInt8]: PhotoState] = [:]
            for root in roots {
                for (low, high) in paths.storedRanges(under: root) {
                    let rows = try conn.execute(
                        """
                        SELECT p.id, p.path, p.size, p.mtime_ns, p.content_hash,
                               p.error IS NOT NULL, e.photo_id IS NOT NULL
                        FROM picseek.photos p LEFT JOIN \(table) e ON e.photo_id = p.id
                        WHERE p.path >= $1 AND p.path < $2
                        """, [.bytes(low), .bytes(high)])
                    for row in 0..<rows.count {
                        out[paths.local(rows.bytes(row, 1) ?? [])] = PhotoState(
                            id: rows.int(row, 0) ?? 0, size: rows.int(row, 2) ?? 0,
                            mtimeNs: rows.int(row, 3) ?? 0, contentHash: rows.bytes(row, 4),
                            failed: rows.bool(row, 5) ?? false, embedded: rows.bool(row, 6) ?? false
                        )
                    }
                }
            }
            return out
        }
    }

    public func embeddedHashes(modelID: Int64) throws -> Set<[UInt8]> {
        let table = PostgresMigrations.embeddingsTable(modelID)
        return try read { conn in
            let rows = try conn.execute(
                """
                SELECT DISTINCT p.content_hash FROM picseek.photos p
                JOIN \(table) e ON e.photo_id = p.id WHERE p.content_hash IS NOT NULL
                """)
            return Set((0..<rows.count).compactMap { rows.bytes($0, 0) })
        }
    }

    /// Commits `changes` for `model` in one transaction, with the same invariant as
    /// `IndexStore.apply`: a photo's vectors always belong to the content its hash names.
    public func apply(_ changes: [PhotoChange], model: ModelRecord) throws -> [ChangeOutcome] {
        guard !changes.isEmpty else { return [] }
        let now = Date().timeIntervalSince1970
        let paths = self.paths
        return try write { conn in
            let modelIDs = try models(conn).map(\.id)
            var outcomes: [ChangeOutcome] = []
            outcomes.reserveCapacity(changes.count)
            for change in changes {
                var outcome = try apply(
                    Self.stored(change, paths), model: model, modelIDs: modelIDs, now: now,
                    conn: conn)
                if case .reused(let source) = outcome {
                    outcome = .reused(source: paths.local(source))
                }
                outcomes.append(outcome)
            }
            try bumpGeneration(conn)
            return outcomes
        }
    }

    /// `change` with its path in stored form.
    private static func stored(_ change: PhotoChange, _ paths: RootPaths) -> PhotoChange {
        func stamp(_ s: FileStamp) -> FileStamp {
            FileStamp(path: paths.stored(s.path), size: s.size, mtimeNs: s.mtimeNs)
        }
        switch change {
        case .embedded(let s, let hash, let metadata, let vector):
            return .embedded(stamp(s), hash: hash, metadata: metadata, vector: vector)
        case .reused(let s, let hash): return .reused(stamp(s), hash: hash)
        case .failed(let s, let hash, let error): return .failed(stamp(s), hash: hash, error: error)
        case .removed(let path): return .removed(path: paths.stored(path))
        }
    }

    private func apply(
        _ change: PhotoChange, model: ModelRecord, modelIDs: [Int64], now: Double,
        conn: PostgresConnection
    ) throws -> ChangeOutcome {
        let table = PostgresMigrations.embeddingsTable(model.id)
        switch change {
        case .embedded(let stamp, let hash, let metadata, let vector):
            guard vector.count == model.dimension else {
                throw StoreError.wrongDimension(
                    model: model.name, expected: model.dimension, found: vector.count)
            }
            let (id, existed) = try upsertPhoto(
                stamp, hash: hash, metadata: metadata, error: nil, now: now,
                modelIDs: modelIDs, conn: conn)
            try conn.execute(
                """
                INSERT INTO \(table) (photo_id, vector) VALUES ($1, $2)
                ON CONFLICT (photo_id) DO UPDATE SET vector = excluded.vector
                """, [.int(id), .vector(vector)])
            return existed ? .updated : .added
        case .reused(let stamp, let hash):
            let source = try conn.execute(
                """
                SELECT p.id, p.path, p.width, p.height, p.taken_at, p.camera
                FROM picseek.photos p JOIN \(table) e ON e.photo_id = p.id
                WHERE p.content_hash = $1 AND p.size = $2 LIMIT 1
                """, [.bytes(hash), .int(stamp.size)])
            guard source.count > 0, let sourceID = source.int(0, 0) else { return .reuseMissed }
            let metadata = PhotoMetadata(
                width: Int(source.int(0, 2) ?? 0), height: Int(source.int(0, 3) ?? 0),
                takenAt: source.text(0, 4), camera: source.text(0, 5))
            let (id, _) = try upsertPhoto(
                stamp, hash: hash, metadata: metadata, error: nil, now: now,
                modelIDs: modelIDs, conn: conn)
            try conn.execute(
                """
                INSERT INTO \(table) (photo_id, vector)
                SELECT $1, vector FROM \(table) WHERE photo_id = $2
                ON CONFLICT (photo_id) DO UPDATE SET vector = excluded.vector
                """, [.int(id), .int(sourceID)])
            return .reused(source: source.bytes(0, 1) ?? [])
        case .failed(let stamp, let hash, let error):
            let (id, _) = try upsertPhoto(
                stamp, hash: hash, metadata: nil, error: error, now: now, modelIDs: modelIDs,
                conn: conn)
            for modelID in modelIDs {
                try conn.execute(
                    "DELETE FROM \(PostgresMigrations.embeddingsTable(modelID)) "
                        + "WHERE photo_id = $1", [.int(id)])
            }
            return .failed
        case .removed(let path):
            let result = try conn.execute(
                "DELETE FROM picseek.photos WHERE path = $1", [.bytes(path)])
            return .removed(result.changed > 0)
        }
    }

    /// Inserts or updates the row for `stamp.path`; drops its vectors of every model when its
    /// content hash changed. Returns (id, row existed).
    private func upsertPhoto(
        _ stamp: FileStamp, hash: [UInt8]?, metadata: PhotoMetadata?, error: String?,
        now: Double, modelIDs: [Int64], conn: PostgresConnection
    ) throws -> (Int64, Bool) {
        let values: [PGValue] = [
            .int(stamp.size), .int(stamp.mtimeNs), .optional(hash),
            .optional(metadata.map(\.width)), .optional(metadata.map(\.height)),
            .optional(metadata?.takenAt), .optional(metadata?.camera), .optional(error),
            .double(now),
        ]
        let existing = try conn.execute(
            "SELECT id, content_hash FROM picseek.photos WHERE path = $1 FOR UPDATE",
            [.bytes(stamp.path)])
        if existing.count > 0, let id = existing.int(0, 0) {
            let oldHash = existing.bytes(0, 1)
            if oldHash == nil || oldHash != hash {
                for modelID in modelIDs {
                    try conn.execute(
                        "DELETE FROM \(PostgresMigrations.embeddingsTable(modelID)) "
                            + "WHERE photo_id = $1", [.int(id)])
                }
            }
            try conn.execute(
                """
                UPDATE picseek.photos SET size = $1, mtime_ns = $2, content_hash = $3,
                    width = $4, height = $5, taken_at = $6, camera = $7, error = $8,
                    indexed_at = $9
                WHERE id = $10
                """, values + [.int(id)])
            return (id, true)
        }
        let inserted = try conn.execute(
            """
            INSERT INTO picseek.photos (path, size, mtime_ns, content_hash, width, height,
                                        taken_at, camera, error, indexed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
            """, [.bytes(stamp.path)] + values)
        return (inserted.int(0, 0) ?? 0, false)
    }

    public func photo(path: [UInt8]) throws -> StoredPhoto? {
        try photos(where: "path = $1", [.bytes(paths.stored(path))]).first
    }

    public func photo(id: Int64) throws -> StoredPhoto? {
        try photos(where: "id = $1", [.int(id)]).first
    }

    /// The rows with these ids (those that exist), keyed by id, in one query.
    public func photos(ids: [Int64]) throws -> [Int64: StoredPhoto] {
        guard !ids.isEmpty else { return [:] }
        let list = "{" + ids.map(String.init).joined(separator: ",") + "}"
        let paths = self.paths
        return try withConnection { conn in
            let rows = try conn.execute(
                "SELECT \(photoColumns) FROM picseek.photos WHERE id = ANY($1::bigint[])",
                [.text(list)])
            var out: [Int64: StoredPhoto] = [:]
            for row in 0..<rows.count {
                var photo = Self.storedPhoto(rows, row)
                photo.path = paths.local(photo.path)
                out[photo.id] = photo
            }
            return out
        }
    }

    public func allPhotos() throws -> [StoredPhoto] {
        try photos(where: "true ORDER BY path", [])
    }

    public func failedPhotos() throws -> [StoredPhoto] {
        try photos(where: "error IS NOT NULL ORDER BY path", [])
    }

    private func photos(where clause: String, _ parameters: [PGValue]) throws -> [StoredPhoto] {
        let paths = self.paths
        return try withConnection { conn in
            let rows = try conn.execute(
                "SELECT \(photoColumns) FROM picseek.photos WHERE \(clause)", parameters)
            return (0..<rows.count).map {
                var photo = Self.storedPhoto(rows, $0)
                photo.path = paths.local(photo.path)
                return photo
            }
        }
    }

    static func storedPhoto(_ rows: PGResult, _ row: Int) -> StoredPhoto {
        StoredPhoto(
            id: rows.int(row, 0) ?? 0, path: rows.bytes(row, 1) ?? [],
            size: rows.int(row, 2) ?? 0, mtimeNs: rows.int(row, 3) ?? 0,
            contentHash: rows.bytes(row, 4), width: rows.int(row, 5).map { Int($0) },
            height: rows.int(row, 6).map { Int($0) }, takenAt: rows.text(row, 7),
            camera: rows.text(row, 8), error: rows.text(row, 9),
            indexedAt: rows.double(row, 10) ?? 0)
    }

    public func contentHashes() throws -> Set<[UInt8]> {
        try withConnection { conn in
            let rows = try conn.execute(
                "SELECT DISTINCT content_hash FROM picseek.photos WHERE content_hash IS NOT NULL")
            return Set((0..<rows.count).compactMap { rows.bytes($0, 0) })
        }
    }

    public func vector(photoID: Int64, model: ModelRecord) throws -> [Float]? {
        try withConnection { conn in
            let rows = try conn.execute(
                "SELECT vector FROM \(PostgresMigrations.embeddingsTable(model.id)) "
                    + "WHERE photo_id = $1", [.int(photoID)])
            guard rows.count > 0 else { return nil }
            var vector: [Float] = []
            guard rows.appendVector(0, 0, to: &vector) == model.dimension else {
                throw StoreError.corruptVector(
                    photo: photoID, expectedBytes: model.dimension * 4,
                    foundBytes: vector.count * 4)
            }
            return vector
        }
    }

    public func vectorCount(model: ModelRecord) throws -> Int {
        try withConnection { conn in
            Int(
                try conn.execute(
                    "SELECT count(*) FROM \(PostgresMigrations.embeddingsTable(model.id))"
                ).int(0, 0) ?? 0)
        }
    }

    public func forget(path: [UInt8]) throws -> Int {
        let (under, bounds) = underClause(path, first: 1)
        return try write { conn in
            let removed = try conn.execute(
                "DELETE FROM picseek.photos WHERE \(under)", bounds
            ).changed
            try conn.execute("DELETE FROM picseek.roots WHERE \(under)", bounds)
            try bumpGeneration(conn)
            return removed
        }
    }

    /// Rows `loadVectors` asks the server for at a time, so the client never holds more
    /// than one chunk of pgvector's binary rows beside the matrix it fills.
    static let vectorChunk = 20_000

    /// Every vector of `model` with its photo's id, path, date and mtime, and the generation,
    /// in one snapshot; vectors arrive in pgvector's binary form, `vectorChunk` rows at a time.
    public func loadVectors(model: ModelRecord) throws -> VectorSet {
        try loadVectors(model: model, chunk: Self.vectorChunk)
    }

    /// `loadVectors`, `chunk` rows per round trip.
    func loadVectors(model: ModelRecord, chunk: Int) throws -> VectorSet {
        let paths = self.paths
        return try read { conn in
            let generation =
                try conn.execute("SELECT value FROM picseek.generation WHERE id = 1").int(0, 0)
                ?? 0
            let table = PostgresMigrations.embeddingsTable(model.id)
            let total = Int(try conn.execute("SELECT count(*) FROM \(table)").int(0, 0) ?? 0)
            var set = VectorSet(
                model: model, ids: [], paths: [], takenAt: [], mtimeNs: [], matrix: [],
                generation: generation)
            set.ids.reserveCapacity(total)
            set.paths.reserveCapacity(total)
            set.takenAt.reserveCapacity(total)
            set.mtimeNs.reserveCapacity(total)
            set.matrix.reserveCapacity(total * model.dimension)
            var after = Int64.min
            while true {
                let rows = try conn.execute(
                    """
                    SELECT p.id, p.path, p.taken_at, p.mtime_ns, e.vector
                    FROM \(table) e JOIN picseek.photos p ON p.id = e.photo_id
                    WHERE e.photo_id > $1 ORDER BY e.photo_id LIMIT $2
                    """, [.int(after), .int(chunk)])
                for row in 0..<rows.count {
                    let id = rows.int(row, 0) ?? 0
                    let found = rows.appendVector(row, 4, to: &set.matrix) ?? 0
                    guard found == model.dimension else {
                        throw StoreError.corruptVector(
                            photo: id, expectedBytes: model.dimension * 4,
                            foundBytes: found * 4)
                    }
                    set.ids.append(id)
                    set.paths.append(paths.local(rows.bytes(row, 1) ?? []))
                    set.takenAt.append(rows.text(row, 2))
                    set.mtimeNs.append(rows.int(row, 3) ?? 0)
                    after = id
                }
                if rows.count < chunk { break }
            }
            return set
        }
    }

    public func photoCountsByExtension() throws -> [ExtensionCount] {
        try withConnection { conn in
            let rows = try conn.execute("SELECT path, error IS NOT NULL FROM picseek.photos")
            var counts: [String: (photos: Int, failed: Int)] = [:]
            for row in 0..<rows.count {
                let ext = IndexStore.lowercaseExtension(rows.bytes(row, 0) ?? [])
                var entry = counts[ext] ?? (0, 0)
                entry.photos += 1
                if rows.bool(row, 1) == true { entry.failed += 1 }
                counts[ext] = entry
            }
            return counts.map {
                ExtensionCount(
                    fileExtension: $0.key, photos: $0.value.photos, failed: $0.value.failed)
            }
            .sorted {
                $0.photos != $1.photos ? $0.photos > $1.photos : $0.fileExtension < $1.fileExtension
            }
        }
    }

    // MARK: Roots and runs

    /// Starts a run record naming this host and process; returns its id.
    public func beginRun(model: ModelRecord?) throws -> Int64 {
        let lockPID = withLock { lockServerPID }
        return try write { conn in
            try conn.execute(
                """
                INSERT INTO picseek.runs (started_at, model_id, host, pid, lock_pid)
                VALUES ($1, $2, $3, $4, $5) RETURNING id
                """,
                [
                    .double(Date().timeIntervalSince1970), model.map { .int($0.id) } ?? .null,
                    .text(host),
                    .int(Int64(ProcessInfo.processInfo.processIdentifier)),
                    lockPID.map { .int(Int64($0)) } ?? .null,
                ]
            ).int(0, 0) ?? 0
        }
    }

    public func finishRun(_ id: Int64, outcome: String, counts: RunCounts) throws {
        try write { conn in
            try conn.execute(
                """
                UPDATE picseek.runs SET finished_at = $1, outcome = $2, added = $3, updated = $4,
                    removed = $5, moved = $6, failed = $7
                WHERE id = $8
                """,
                [
                    .double(Date().timeIntervalSince1970), .text(outcome), .int(counts.added),
                    .int(counts.updated), .int(counts.removed), .int(counts.moved),
                    .int(counts.failed), .int(id),
                ])
        }
    }

    public func runs(limit: Int) throws -> [RunRecord] {
        try withConnection { conn in
            let rows = try conn.execute(
                """
                SELECT r.id, r.started_at, r.finished_at, r.outcome, m.name, r.added, r.updated,
                       r.removed, r.moved, r.failed, r.host, r.pid,
                       r.finished_at IS NULL AND EXISTS (
                           SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory'
                           AND l.granted AND l.pid = r.lock_pid)
                FROM picseek.runs r LEFT JOIN picseek.models m ON m.id = r.model_id
                ORDER BY r.id DESC LIMIT $1
                """, [.int(limit)])
            return (0..<rows.count).map { row in
                RunRecord(
                    id: rows.int(row, 0) ?? 0, startedAt: rows.double(row, 1) ?? 0,
                    finishedAt: rows.double(row, 2), outcome: rows.text(row, 3),
                    modelName: rows.text(row, 4), added: Int(rows.int(row, 5) ?? 0),
                    updated: Int(rows.int(row, 6) ?? 0), removed: Int(rows.int(row, 7) ?? 0),
                    moved: Int(rows.int(row, 8) ?? 0), failed: Int(rows.int(row, 9) ?? 0),
                    host: rows.text(row, 10), processID: rows.int(row, 11).map { Int($0) },
                    indexingNow: rows.bool(row, 12) ?? false)
            }
        }
    }

    public func summary() throws -> StoreSummary {
        try read { conn in
            let counts = try conn.execute(
                """
                SELECT count(*), count(*) FILTER (WHERE error IS NOT NULL) FROM picseek.photos
                """)
            var perModel: [(model: ModelRecord, vectors: Int)] = []
            for model in try models(conn) {
                let n = try conn.execute(
                    "SELECT count(*) FROM \(PostgresMigrations.embeddingsTable(model.id))")
                perModel.append((model, Int(n.int(0, 0) ?? 0)))
            }
            return StoreSummary(
                photos: Int(counts.int(0, 0) ?? 0), failed: Int(counts.int(0, 1) ?? 0),
                models: perModel, roots: try roots(), lastRun: try runs(limit: 1).first)
        }
    }
}
