import Foundation

/// A photo and its cosine similarity to a query.
public struct NearestPhoto: Equatable, Sendable {
    /// Photo row id.
    public var photoID: Int64
    /// Cosine similarity (1 − pgvector's cosine distance).
    public var score: Float
}

extension PostgresStore {
    /// Models get an HNSW index once they hold this many vectors (an exact scan of fewer is
    /// fast enough, and building after a bulk load is far quicker than growing it row by row).
    public static let vectorIndexThreshold = 10_000

    private static func vectorIndexName(_ modelID: Int64) -> String {
        "embeddings_m\(modelID)_hnsw"
    }

    /// Whether `model`'s vectors have their HNSW index.
    public func hasVectorIndex(model: ModelRecord) throws -> Bool {
        try withConnection { conn in
            try conn.execute(
                "SELECT to_regclass($1) IS NOT NULL",
                [.text("picseek." + Self.vectorIndexName(model.id))]
            ).bool(0, 0) ?? false
        }
    }

    /// Builds the HNSW index (cosine) of `model`'s vectors when missing; pgvector keeps it up
    /// to date on every later insert.
    public func buildVectorIndex(model: ModelRecord) throws {
        try withConnection { conn in
            try conn.execute("SET maintenance_work_mem = '512MB'")
            try conn.execute(
                """
                CREATE INDEX IF NOT EXISTS \(Self.vectorIndexName(model.id))
                ON \(PostgresMigrations.embeddingsTable(model.id))
                USING hnsw (vector vector_cosine_ops) WITH (m = 16, ef_construction = 64)
                """)
            try conn.execute("RESET maintenance_work_mem")
        }
    }

    /// After an index run: builds the HNSW index of every model that has reached
    /// `vectorIndexThreshold` vectors without one.
    public func checkpoint() throws {
        guard readOnlyReason == nil else { return }
        for model in try models() where try !hasVectorIndex(model: model) {
            if try vectorCount(model: model) >= Self.vectorIndexThreshold {
                try buildVectorIndex(model: model)
            }
        }
    }

    /// The `top` photos nearest to `query` among `model`'s vectors (under `folder` when
    /// given), best first.
    ///
    /// With `candidates` nil the scan is exact. Otherwise the HNSW index yields `candidates`
    /// approximate neighbours (`hnsw.ef_search`, iterative scans when filtered), which are
    /// then re-ranked by their exact distance.
    public func nearest(
        model: ModelRecord, query: [Float], top: Int, candidates: Int? = nil,
        folder: [UInt8]? = nil
    ) throws -> [NearestPhoto] {
        guard query.count == model.dimension else {
            throw StoreError.wrongDimension(
                model: model.name, expected: model.dimension, found: query.count)
        }
        let table = PostgresMigrations.embeddingsTable(model.id)
        var parameters: [PGValue] = [.vector(query)]
        var filter = ""
        if let folder {
            let (low, high) = storedFolderBounds(folder)
            parameters += [.bytes([UInt8](low)), .bytes([UInt8](high))]
            filter = """
                WHERE e.photo_id IN (SELECT id FROM picseek.photos
                                     WHERE path >= $2 AND path < $3)
                """
        }
        parameters.append(.int(candidates ?? top))
        let limit = "$\(parameters.count)"
        parameters.append(.int(top))
        let sql = """
            SELECT photo_id, 1 - distance FROM (
                SELECT e.photo_id, e.vector <=> $1 AS distance FROM \(table) e \(filter)
                ORDER BY e.vector <=> $1 LIMIT \(limit)
            ) c ORDER BY distance, photo_id LIMIT $\(parameters.count)
            """
        return try withConnection { conn in
            try conn.transaction(readOnly: true) {
                if let candidates {
                    try conn.execute(
                        "SELECT set_config('hnsw.ef_search', $1, true)", [.int(candidates)])
                    try conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
                } else {
                    try conn.execute("SET LOCAL enable_indexscan = off")
                }
                let rows = try conn.execute(sql, parameters)
                return (0..<rows.count).map { row in
                    NearestPhoto(
                        photoID: rows.int(row, 0) ?? 0, score: Float(rows.double(row, 1) ?? 0))
                }
            }
        }
    }
}
