import Foundation
import PicseekCore

/// A photo and its cosine similarity to a query.
public struct NearestPhoto: Equatable, Sendable {
    /// Photo row id.
    public var photoID: Int64
    /// Cosine similarity (1 − pgvector's cosine distance).
    public var score: Float
}

/// The shape of a model's HNSW graph, fixed when the index is built.
public struct HNSWParameters: Equatable, Sendable {
    /// Neighbours kept per node and layer (pgvector's `m`).
    public var m: Int
    /// Candidates examined while linking each vector (pgvector's `ef_construction`).
    public var efConstruction: Int

    /// A graph of `m` neighbours per node built with `efConstruction` candidates.
    public init(m: Int, efConstruction: Int) {
        self.m = m
        self.efConstruction = efConstruction
    }

    /// The defaults, chosen with `picseek bench search --db` (docs/benchmarks.md): on 1M
    /// CLIP-like clustered vectors with 200 candidates re-ranked exactly, m 24 and
    /// ef_construction 128 found 0.976 of the exact top 10 (0.996 with 400 candidates)
    /// against m 16 and ef_construction 64's 0.962 (0.980), for a build 1.75× as long and an
    /// index of the same size.
    public static let standard = HNSWParameters(m: 24, efConstruction: 128)
}

/// A date range on the photos' dates, "YYYY-MM-DD HH:MM:SS" strings: the EXIF date when a
/// photo has one, else its modification time as local time in `timeZone`.
public struct PhotoDateRange: Equatable, Sendable {
    /// Lowest date kept (compared as bytes, so a prefix such as "2024-05" works).
    public var since: String?
    /// Dates above this are left out (compared as bytes: pass the highest string kept).
    public var above: String?
    /// The time zone modification times are read in, as PostgreSQL names it
    /// (an IANA name such as "Europe/Berlin").
    public var timeZone: String

    /// A range from `since` up to `above` (both optional) with times read in `timeZone`.
    public init(since: String?, above: String?, timeZone: String) {
        self.since = since
        self.above = above
        self.timeZone = timeZone
    }
}

/// What pgvector's HNSW index of a model's vectors is built on, which depends on the model's
/// dimension: the `vector` column itself up to 2,000 dimensions, the column as `halfvec`
/// (16-bit floats) up to 4,000, and nothing above (those models are searched exactly).
/// The column keeps float32 either way, and candidates are re-ranked by their exact distance.
enum VectorIndexOperand: Equatable {
    case vector
    case halfvec(dimension: Int)

    /// pgvector's limits for HNSW: `vector` up to 2,000 dimensions, `halfvec` up to 4,000.
    static let vectorLimit = 2000
    static let halfvecLimit = 4000

    /// The operand for a model of `dimension`, nil when no HNSW index can hold it.
    init?(dimension: Int) {
        if dimension <= Self.vectorLimit {
            self = .vector
        } else if dimension <= Self.halfvecLimit {
            self = .halfvec(dimension: dimension)
        } else {
            return nil
        }
    }

    /// The indexed expression and its operator class.
    var indexed: String {
        switch self {
        case .vector: "vector vector_cosine_ops"
        case .halfvec(let d): "(vector::halfvec(\(d))) halfvec_cosine_ops"
        }
    }

    /// The cosine distance between `column` and `parameter` in the index's terms, so that an
    /// `ORDER BY` of it can be read from the index.
    func distance(column: String, parameter: String) -> String {
        switch self {
        case .vector: "\(column) <=> \(parameter)"
        case .halfvec(let d):
            "\(column)::halfvec(\(d)) <=> (\(parameter)::vector)::halfvec(\(d))"
        }
    }
}

extension PostgresStore {
    /// Models get an HNSW index once they hold this many vectors (an exact scan of fewer is
    /// fast enough, and building after a bulk load is far quicker than growing it row by row).
    public static let vectorIndexThreshold = 10_000

    /// The most graph entries one filtered HNSW search visits (pgvector's
    /// `hnsw.max_scan_tuples`) before it gives up and the search is run exactly instead.
    public static let filteredScanLimit = 40_000

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
    /// to date on every later insert. Models of more than 2,000 dimensions are indexed as
    /// `halfvec`; above 4,000 there is no index (`VectorIndexOperand`) and nothing is built.
    ///
    /// The build gets `maintenance_work_mem` for the whole graph (from the vector count and
    /// dimension, between 64 MB and 4 GB): a graph that outgrows it is built far slower.
    public func buildVectorIndex(
        model: ModelRecord, parameters: HNSWParameters = .standard
    ) throws {
        guard let operand = VectorIndexOperand(dimension: model.dimension) else { return }
        let count = try vectorCount(model: model)
        // Per vector: its floats, m × 2 neighbour slots of 6 bytes on layer 0, headers.
        let scalarBytes = operand == .vector ? 4 : 2
        let perVector = model.dimension * scalarBytes + parameters.m * 12 + 64
        let megabytes = min(max((count * perVector * 5 / 4) >> 20, 64), 4096)
        try withConnection { conn in
            try conn.execute(
                "SELECT set_config('maintenance_work_mem', $1, false)",
                [
                    .text("\(megabytes)MB")
                ])
            defer { _ = try? conn.execute("RESET maintenance_work_mem") }
            try conn.execute(
                """
                CREATE INDEX IF NOT EXISTS \(Self.vectorIndexName(model.id))
                ON \(PostgresMigrations.embeddingsTable(model.id))
                USING hnsw (\(operand.indexed))
                WITH (m = \(parameters.m), ef_construction = \(parameters.efConstruction))
                """)
        }
    }

    /// After an index run: builds the HNSW index of every model that has reached
    /// `vectorIndexThreshold` vectors without one.
    public func checkpoint() throws {
        guard readOnlyReason == nil else { return }
        for model in try models() where try !hasVectorIndex(model: model) {
            guard VectorIndexOperand(dimension: model.dimension) != nil else { continue }
            if try vectorCount(model: model) >= Self.vectorIndexThreshold {
                try buildVectorIndex(model: model)
            }
        }
    }

    /// The local dates PostgreSQL gives `mtimes` (ns since the epoch) in `timeZone`, as the
    /// date filter of `nearest` reads them; nil when the server does not know the zone.
    public func localDates(mtimes: [Int64], timeZone: String) throws -> [String]? {
        try withConnection { conn in
            let known = try conn.execute(
                "SELECT count(*) FROM pg_timezone_names WHERE name = $1", [.text(timeZone)])
            guard (known.int(0, 0) ?? 0) > 0 else { return nil }
            return try mtimes.map { mtime in
                try conn.execute(
                    "SELECT \(Self.dateExpression(mtime: "$1::int8", zone: "$2"))",
                    [.int(mtime), .text(timeZone)]
                ).text(0, 0) ?? ""
            }
        }
    }

    /// SQL for a modification time's local date, "YYYY-MM-DD HH:MM:SS", whole seconds
    /// truncated towards zero as `localtime_r` of `mtime_ns / 1e9` gives them.
    private static func dateExpression(mtime: String, zone: String) -> String {
        """
        to_char(to_timestamp(\(mtime) / 1000000000) AT TIME ZONE \(zone), \
        'YYYY-MM-DD HH24:MI:SS')
        """
    }

    /// The `top` photos nearest to `query` among `model`'s vectors (under `folder` and within
    /// `dates` when given), best first.
    ///
    /// With `candidates` nil the scan is exact. Otherwise the HNSW index yields `candidates`
    /// approximate neighbours (`hnsw.ef_search`, at most 1000), which are then re-ranked by
    /// their exact distance. Filters are applied in SQL; the index is read with pgvector's
    /// iterative scan, so a filtered search keeps walking the graph until it has its
    /// candidates. One that still finds fewer than `top` (a filter that keeps few photos, far
    /// apart in the graph) is run again exactly.
    public func nearest(
        model: ModelRecord, query: [Float], top: Int, candidates: Int? = nil,
        folder: [UInt8]? = nil, dates: PhotoDateRange? = nil
    ) throws -> [NearestPhoto] {
        guard query.count == model.dimension else {
            throw StoreError.wrongDimension(
                model: model.name, expected: model.dimension, found: query.count)
        }
        guard top > 0 else { return [] }
        let table = PostgresMigrations.embeddingsTable(model.id)
        var parameters: [PGValue] = [.vector(query)]
        var conditions: [String] = []
        if let folder {
            let (low, high) = storedFolderBounds(folder)
            parameters += [.bytes([UInt8](low)), .bytes([UInt8](high))]
            conditions.append(
                "p.path >= $\(parameters.count - 1) AND p.path < $\(parameters.count)")
        }
        if let dates, dates.since != nil || dates.above != nil {
            parameters.append(.text(dates.timeZone))
            let date = """
                (COALESCE(p.taken_at, \
                \(Self.dateExpression(mtime: "p.mtime_ns", zone: "$\(parameters.count)"))) \
                COLLATE "C")
                """
            if let since = dates.since {
                parameters.append(.text(since))
                conditions.append("\(date) >= $\(parameters.count)")
            }
            if let above = dates.above {
                parameters.append(.text(above))
                conditions.append("\(date) <= $\(parameters.count)")
            }
        }
        let filter =
            conditions.isEmpty
            ? ""
            : "JOIN picseek.photos p ON p.id = e.photo_id WHERE "
                + conditions.joined(separator: " AND ")
        let ef = candidates.map { min(max($0, top), 1000) }
        parameters.append(.int(ef ?? top))
        let limit = "$\(parameters.count)"
        parameters.append(.int(top))
        // The candidates come in the index's order (for `halfvec`, its 16-bit distance); the
        // result is ordered by the exact float32 distance.
        let indexOrder = VectorIndexOperand(dimension: model.dimension).map {
            $0.distance(column: "e.vector", parameter: "$1")
        }
        func sql(approximate: Bool) -> String {
            """
            SELECT photo_id, 1 - distance FROM (
                SELECT e.photo_id, e.vector <=> $1 AS distance FROM \(table) e \(filter)
                ORDER BY \(approximate ? indexOrder ?? "e.vector <=> $1" : "e.vector <=> $1")
                LIMIT \(limit)
            ) c ORDER BY distance, photo_id LIMIT $\(parameters.count)
            """
        }
        func run(approximate: Bool) throws -> [NearestPhoto] {
            try withConnection { conn in
                try conn.transaction(readOnly: true) {
                    if approximate, let ef {
                        try conn.execute(
                            "SELECT set_config('hnsw.ef_search', $1, true)", [.int(ef)])
                        try conn.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
                        try conn.execute(
                            "SELECT set_config('hnsw.max_scan_tuples', $1, true)",
                            [.int(Self.filteredScanLimit)])
                    } else {
                        try conn.execute("SET LOCAL enable_indexscan = off")
                    }
                    let rows = try conn.execute(sql(approximate: approximate), parameters)
                    return (0..<rows.count).map { row in
                        NearestPhoto(
                            photoID: rows.int(row, 0) ?? 0,
                            score: Float(rows.double(row, 1) ?? 0))
                    }
                }
            }
        }
        let found = try run(approximate: ef != nil)
        if ef != nil, !conditions.isEmpty, found.count < top {
            return try run(approximate: false)
        }
        return found
    }

    /// The ids of `count` placeholder photos under `folder`, in number order, made where
    /// missing: named by number (8 digits), one every 5 minutes from 2015 on as modification
    /// time, no content. `picseek bench search --db` gives them synthetic vectors
    /// (`copyVectors`).
    public func syntheticPhotos(folder: String, count: Int) throws -> [Int64] {
        let prefix = Array((folder + "/").utf8)
        let (low, high) = underBounds(Array(folder.utf8))
        let bounds: [PGValue] = [.bytes([UInt8](low)), .bytes([UInt8](high))]
        return try write { conn in
            let have = Int(
                try conn.execute(
                    "SELECT count(*) FROM picseek.photos WHERE path >= $1 AND path < $2", bounds
                ).int(0, 0) ?? 0)
            if have < count {
                try conn.execute(
                    """
                    INSERT INTO picseek.photos (path, size, mtime_ns, width, height, indexed_at)
                    SELECT $1 || convert_to(lpad(i::text, 8, '0') || '.jpg', 'UTF8'), 1,
                           (1420070400 + i * 300) * 1000000000, 1, 1, 0
                    FROM generate_series($2::int8, $3::int8) i
                    """, [.bytes(prefix), .int(have), .int(count - 1)])
                try bumpGeneration(conn)
            }
            let rows = try conn.execute(
                """
                SELECT id FROM picseek.photos WHERE path >= $1 AND path < $2
                ORDER BY path LIMIT $3
                """, bounds + [.int(count)])
            return (0..<rows.count).map { rows.int($0, 0) ?? 0 }
        }
    }

    /// Stores a vector of `model` for each of `photoIDs` (the one `vector` writes for its
    /// position in the list), sent with one binary `COPY`: a million 512-d vectors in
    /// seconds. The photos must have no vector of `model` yet.
    public func copyVectors(
        model: ModelRecord, photoIDs: [Int64],
        vector: (_ position: Int, _ into: inout [Float]) -> Void
    ) throws {
        let table = PostgresMigrations.embeddingsTable(model.id)
        let d = model.dimension
        let rowBytes = 24 + 4 * d
        var floats = [Float](repeating: 0, count: d)
        var row = 0
        var started = false
        try write { conn in
            try conn.copyIn("COPY \(table) (photo_id, vector) FROM STDIN WITH (FORMAT binary)") {
                guard row < photoIDs.count || !started else { return nil }
                var chunk: [UInt8] = []
                chunk.reserveCapacity(19 + 1000 * rowBytes + 2)
                func append<T: FixedWidthInteger>(_ value: T) {
                    withUnsafeBytes(of: value.bigEndian) { chunk.append(contentsOf: $0) }
                }
                if !started {
                    // Signature, flags, header extension length.
                    chunk += Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0]
                    append(Int32(0))
                    append(Int32(0))
                    started = true
                }
                let end = min(row + 1000, photoIDs.count)
                while row < end {
                    vector(row, &floats)
                    append(Int16(2))
                    append(Int32(8))
                    append(photoIDs[row])
                    append(Int32(4 + 4 * d))
                    append(Int16(d))
                    append(Int16(0))
                    for value in floats { append(value.bitPattern) }
                    row += 1
                }
                if row == photoIDs.count {
                    append(Int16(-1))
                    row += 1 // past the end: the next call ends the copy
                }
                return chunk
            }
            try bumpGeneration(conn)
        }
    }
}
