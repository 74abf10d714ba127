import Foundation
import GRDB

extension IndexStore {
    /// Adds `count` made-up photos with random unit vectors of `model` (seeded, so the same
    /// arguments make the same index), for `picseek bench search`: paths
    /// `/synthetic/<folder>/IMG_<n>.jpg`, dates spread over 2015–2024. Rows go in with two
    /// prepared statements in transactions of `batch` photos, far faster than `apply`.
    public func addSyntheticPhotos(
        count: Int, model: ModelRecord, seed: UInt64, batch: Int = 20_000
    ) throws {
        let d = model.dimension
        var state = seed &* 2_862_933_555_777_941_757 &+ 3_037_000_493
        var vector = [Float](repeating: 0, count: d)
        var bytes = Data(count: d * 4)
        let first = try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM photos") } ?? 0
        var done = 0
        while done < count {
            let end = min(count, done + batch)
            try write { db in
                let photo = try db.makeStatement(
                    sql: """
                        INSERT INTO photos(path, size, mtime_ns, content_hash, width, height,
                                           taken_at, camera, error, indexed_at)
                        VALUES (?, ?, ?, ?, 4000, 3000, ?, 'Synthetic', NULL, 0)
                        """)
                let embedding = try db.makeStatement(
                    sql: "INSERT INTO embeddings(photo_id, model_id, vector) VALUES (?, ?, ?)")
                for i in done..<end {
                    let n = first + i
                    var norm: Float = 0
                    for j in 0..<d {
                        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                        let v = Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000)
                        vector[j] = v
                        norm += v * v
                    }
                    let inverse = norm > 0 ? 1 / norm.squareRoot() : 0
                    bytes.withUnsafeMutableBytes { raw in
                        for j in 0..<d {
                            raw.storeBytes(
                                of: (vector[j] * inverse).bitPattern.littleEndian,
                                toByteOffset: j * 4, as: UInt32.self)
                        }
                    }
                    let path = Data(
                        String(format: "/synthetic/%04d/IMG_%07d.jpg", n / 1000, n).utf8)
                    var hash = Data(count: 32)
                    withUnsafeBytes(of: UInt64(n).littleEndian) {
                        hash.replaceSubrange(0..<8, with: $0)
                    }
                    let date = String(
                        format: "%04d-%02d-%02d 12:00:00", 2015 + n % 10, 1 + n % 12, 1 + n % 28)
                    try photo.execute(arguments: [
                        path, 3_000_000 + n, 1_700_000_000_000_000_000 as Int64, hash, date,
                    ])
                    try embedding.execute(arguments: [db.lastInsertedRowID, model.id, bytes])
                }
                try bumpGeneration(db)
            }
            done = end
        }
    }
}
