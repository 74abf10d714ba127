import Foundation
import GRDB
import PicseekCore

/// Byte-range bounds for "every path under this directory": paths `p` with
/// `dir/ <= p < dir0` ('0' is the byte after '/').
func underBounds(_ dir: [UInt8]) -> (low: Data, high: Data) {
    var base = dir
    while base.count > 1, base.last == UInt8(ascii: "/") { base.removeLast() }
    if base == [UInt8(ascii: "/")] { base = [] }
    return (Data(base + [UInt8(ascii: "/")]), Data(base + [UInt8(ascii: "0")]))
}

extension IndexStore {
    /// The state of every photo row under the directories `roots` (raw
    /// paths), with whether each has a vector of `modelID`.
    public func photoStates(under roots: [[UInt8]], modelID: Int64) throws -> [[UInt8]: PhotoState]
    {
        try read { db in
            var out: [[UInt8]: PhotoState] = [:]
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM photos") ?? 0
            out.reserveCapacity(total)
            for root in roots {
                let (low, high) = underBounds(root)
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT p.id, p.path, p.size, p.mtime_ns, p.content_hash,
                               p.error IS NOT NULL AS failed, e.id IS NOT NULL AS embedded
                        FROM photos p
                        LEFT JOIN embeddings e ON e.photo_id = p.id AND e.model_id = ?
                        WHERE p.path >= ? AND p.path < ?
                        """, arguments: [modelID, low, high])
                while let row = try rows.next() {
                    // Columns by index: this loop runs once per photo on every rescan.
                    let path = try row.withUnsafeData(atIndex: 1) { [UInt8]($0 ?? Data()) }
                    let hash = try row.withUnsafeData(atIndex: 4) { $0.map { [UInt8]($0) } }
                    out[path] = PhotoState(
                        id: row[0], size: row[2], mtimeNs: row[3],
                        contentHash: hash, failed: row[5], embedded: row[6])
                }
            }
            return out
        }
    }

    /// Content hashes (with sizes) that have a vector of `modelID`: contents
    /// that need no embedding when they turn up under another path.
    public func embeddedHashes(modelID: Int64) throws -> Set<[UInt8]> {
        try read { db in
            var out = Set<[UInt8]>()
            let rows = try Data.fetchCursor(
                db,
                sql: """
                    SELECT p.content_hash FROM photos p JOIN embeddings e ON e.photo_id = p.id
                    WHERE e.model_id = ? AND p.content_hash IS NOT NULL
                    """, arguments: [modelID])
            while let hash = try rows.next() { out.insert([UInt8](hash)) }
            return out
        }
    }

    /// Commits `changes` for `model` in one transaction and returns what
    /// happened to each, in order.
    ///
    /// Invariant kept by every branch: a photo's vectors always belong to the
    /// content its `content_hash` names, so copying a vector by hash is safe.
    public func apply(_ changes: [PhotoChange], model: ModelRecord) throws -> [ChangeOutcome] {
        guard !changes.isEmpty else { return [] }
        let now = Date().timeIntervalSince1970
        return try write { db in
            var outcomes: [ChangeOutcome] = []
            outcomes.reserveCapacity(changes.count)
            for change in changes {
                outcomes.append(try apply(change, model: model, now: now, db: db))
            }
            try bumpGeneration(db)
            return outcomes
        }
    }

    private func apply(
        _ change: PhotoChange, model: ModelRecord, now: Double, db: Database
    ) throws -> ChangeOutcome {
        switch change {
        case .embedded(let stamp, let hash, let metadata, let vector):
            guard vector.count == model.dimension else {
                throw StoreError.wrongDimension(
                    model: model.name, expected: model.dimension, found: vector.count)
            }
            let (id, existed) = try upsertPhoto(
                stamp, hash: hash, metadata: metadata, error: nil, now: now, db: db)
            try putVector(VectorCoding.encode(vector), photo: id, model: model.id, db: db)
            return existed ? .updated : .added
        case .reused(let stamp, let hash):
            guard
                let source = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT p.path, p.width, p.height, p.taken_at, p.camera, e.vector
                        FROM photos p JOIN embeddings e ON e.photo_id = p.id AND e.model_id = ?
                        WHERE p.content_hash = ? AND p.size = ? LIMIT 1
                        """, arguments: [model.id, Data(hash), stamp.size])
            else { return .reuseMissed }
            let metadata = PhotoMetadata(
                width: source["width"] ?? 0, height: source["height"] ?? 0,
                takenAt: source["taken_at"], camera: source["camera"])
            let vector: Data = source["vector"]
            let sourcePath = [UInt8](source["path"] as Data)
            let (id, _) = try upsertPhoto(
                stamp, hash: hash, metadata: metadata, error: nil, now: now, db: db)
            try putVector(vector, photo: id, model: model.id, db: db)
            return .reused(source: sourcePath)
        case .failed(let stamp, let hash, let error):
            let (id, _) = try upsertPhoto(
                stamp, hash: hash, metadata: nil, error: error, now: now, db: db)
            try db.execute(sql: "DELETE FROM embeddings WHERE photo_id = ?", arguments: [id])
            return .failed
        case .removed(let path):
            try db.execute(sql: "DELETE FROM photos WHERE path = ?", arguments: [Data(path)])
            return .removed(db.changesCount > 0)
        }
    }

    /// Inserts or updates the row for `stamp.path`; drops the row's vectors of
    /// every model when its content hash changed. Returns (id, row existed).
    private func upsertPhoto(
        _ stamp: FileStamp, hash: [UInt8]?, metadata: PhotoMetadata?, error: String?,
        now: Double, db: Database
    ) throws -> (Int64, Bool) {
        let path = Data(stamp.path)
        let hashData = hash.map { Data($0) }
        let values: [(any DatabaseValueConvertible)?] = [
            stamp.size, stamp.mtimeNs, hashData,
            metadata.map(\.width), metadata.map(\.height),
            metadata?.takenAt, metadata?.camera, error, now,
        ]
        if let row = try Row.fetchOne(
            db, sql: "SELECT id, content_hash FROM photos WHERE path = ?", arguments: [path])
        {
            let id: Int64 = row["id"]
            let oldHash: Data? = row["content_hash"]
            if oldHash == nil || oldHash != hashData {
                try db.execute(sql: "DELETE FROM embeddings WHERE photo_id = ?", arguments: [id])
            }
            try db.execute(
                sql: """
                    UPDATE photos SET size = ?, mtime_ns = ?, content_hash = ?, width = ?, height = ?,
                        taken_at = ?, camera = ?, error = ?, indexed_at = ?
                    WHERE id = ?
                    """, arguments: StatementArguments(values + [id]))
            return (id, true)
        }
        try db.execute(
            sql: """
                INSERT INTO photos(path, size, mtime_ns, content_hash, width, height, taken_at,
                                   camera, error, indexed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: StatementArguments([path] + values))
        return (db.lastInsertedRowID, false)
    }

    private func putVector(_ vector: Data, photo: Int64, model: Int64, db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO embeddings(photo_id, model_id, vector) VALUES (?, ?, ?)
                ON CONFLICT(photo_id, model_id) DO UPDATE SET vector = excluded.vector
                """, arguments: [photo, model, vector])
    }

    /// The row for this raw path, if indexed.
    public func photo(path: [UInt8]) throws -> StoredPhoto? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM photos WHERE path = ?", arguments: [Data(path)]
            )
            .map(Self.photo)
        }
    }

    /// The row with this id, if any.
    public func photo(id: Int64) throws -> StoredPhoto? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM photos WHERE id = ?", arguments: [id])
                .map(Self.photo)
        }
    }

    /// Every photo row, ordered by path (for tests, exports and comparisons).
    public func allPhotos() throws -> [StoredPhoto] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM photos ORDER BY path").map(Self.photo)
        }
    }

    /// Every content hash the photos table refers to (what thumbnails must keep).
    public func contentHashes() throws -> Set<[UInt8]> {
        try read { db in
            var out = Set<[UInt8]>()
            let rows = try Data.fetchCursor(
                db, sql: "SELECT content_hash FROM photos WHERE content_hash IS NOT NULL")
            while let hash = try rows.next() { out.insert([UInt8](hash)) }
            return out
        }
    }

    /// Photos that failed, with their errors, ordered by path.
    public func failedPhotos() throws -> [StoredPhoto] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM photos WHERE error IS NOT NULL ORDER BY path"
            ).map(Self.photo)
        }
    }

    /// The vector of one photo for one model.
    public func vector(photoID: Int64, model: ModelRecord) throws -> [Float]? {
        try read { db in
            guard
                let data = try Data.fetchOne(
                    db, sql: "SELECT vector FROM embeddings WHERE photo_id = ? AND model_id = ?",
                    arguments: [photoID, model.id])
            else { return nil }
            guard data.count == model.dimension * 4, let vector = VectorCoding.decode(data) else {
                throw StoreError.corruptVector(
                    photo: photoID, expectedBytes: model.dimension * 4, foundBytes: data.count)
            }
            return vector
        }
    }

    /// Number of vectors each photo has, keyed by path (for tests and status).
    public func vectorCount(model: ModelRecord) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM embeddings WHERE model_id = ?",
                arguments: [model.id]) ?? 0
        }
    }

    /// Deletes every photo at `path` or under it (a file or a folder) and
    /// every root at or under it; returns how many photos went.
    public func forget(path: [UInt8]) throws -> Int {
        try write { db in
            let (low, high) = underBounds(path)
            try db.execute(
                sql: "DELETE FROM photos WHERE path = ? OR (path >= ? AND path < ?)",
                arguments: [Data(path), low, high])
            let removed = db.changesCount
            try db.execute(
                sql: "DELETE FROM roots WHERE path = ? OR (path >= ? AND path < ?)",
                arguments: [Data(path), low, high])
            try bumpGeneration(db)
            return removed
        }
    }

    /// Loads every vector of `model` into one contiguous matrix, with paths
    /// and dates, in one read transaction.
    public func loadVectors(model: ModelRecord) throws -> VectorSet {
        try read { db in
            let generation =
                try Int64.fetchOne(db, sql: "SELECT value FROM generation WHERE id = 1") ?? 0
            let expected = model.dimension * 4
            var set = VectorSet(
                model: model, ids: [], paths: [], takenAt: [], mtimeNs: [], matrix: [],
                generation: generation)
            let count =
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM embeddings WHERE model_id = ?",
                    arguments: [model.id]) ?? 0
            set.ids.reserveCapacity(count)
            set.paths.reserveCapacity(count)
            set.matrix.reserveCapacity(count * model.dimension)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT p.id, p.path, p.taken_at, p.mtime_ns, e.vector
                    FROM embeddings e JOIN photos p ON p.id = e.photo_id
                    WHERE e.model_id = ? ORDER BY e.id
                    """, arguments: [model.id])
            while let row = try rows.next() {
                let id: Int64 = row[0]
                let found = try row.withUnsafeData(atIndex: 4) { blob -> Int in
                    guard let blob, blob.count == expected else { return blob?.count ?? 0 }
                    appendFloats(blob, to: &set.matrix)
                    return expected
                }
                guard found == expected else {
                    throw StoreError.corruptVector(
                        photo: id, expectedBytes: expected, foundBytes: found)
                }
                set.ids.append(id)
                // Copied once from SQLite's buffer (no intermediate Data).
                set.paths.append(
                    try row.withUnsafeData(atIndex: 1) { $0.map { [UInt8]($0) } ?? [] })
                set.takenAt.append(row[2])
                set.mtimeNs.append(row[3])
            }
            return set
        }
    }

    static func photo(_ row: Row) -> StoredPhoto {
        StoredPhoto(
            id: row["id"], path: [UInt8](row["path"] as Data), size: row["size"],
            mtimeNs: row["mtime_ns"],
            contentHash: (row["content_hash"] as Data?).map { [UInt8]($0) },
            width: row["width"], height: row["height"], takenAt: row["taken_at"],
            camera: row["camera"], error: row["error"], indexedAt: row["indexed_at"])
    }
}

/// Appends little-endian float32 bytes to a Float array.
private func appendFloats(_ blob: Data, to matrix: inout [Float]) {
    let n = blob.count / 4
    blob.withUnsafeBytes { raw in
        #if _endian(little)
            if let base = raw.baseAddress,
                Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0
            {
                let floats = UnsafeBufferPointer(
                    start: base.assumingMemoryBound(to: Float.self), count: n)
                matrix.append(contentsOf: floats)
                return
            }
        #endif
        for i in 0..<n {
            let bits = raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
            matrix.append(Float(bitPattern: UInt32(littleEndian: bits)))
        }
    }
}
