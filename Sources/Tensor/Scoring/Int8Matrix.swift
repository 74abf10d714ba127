/// A copy of a row-major float matrix in int8 with one scale per row
/// (`value ≈ scale * int8`, scale = max |row| / 127): a quarter of the bytes
/// of float32 to stream per query.
///
/// Like `BF16Matrix`, only a first pass: its top candidates are rescored
/// exactly in float32, so final rankings and scores are float32 ones whenever
/// the true top k are among the candidates.
public struct Int8Matrix: Sendable {
    /// Number of rows.
    public let rows: Int
    /// Row length.
    public let dimension: Int
    /// `rows × dimension` quantised values.
    public let values: [Int8]
    /// One scale per row.
    public let scales: [Float]

    /// Quantises `matrix` (`rows × dimension` floats), rounding to nearest.
    public init(_ matrix: [Float], rows: Int, dimension: Int) {
        precondition(matrix.count == rows * dimension, "matrix does not match its shape")
        self.rows = rows
        self.dimension = dimension
        var values = [Int8](repeating: 0, count: matrix.count)
        var scales = [Float](repeating: 0, count: rows)
        matrix.withUnsafeBufferPointer { m in
            values.withUnsafeMutableBufferPointer { v in
                guard let mb = m.baseAddress, let vb = v.baseAddress else { return }
                for r in 0..<rows {
                    scales[r] = Self.quantise(
                        row: mb + r * dimension, dimension: dimension, into: vb + r * dimension)
                }
            }
        }
        self.values = values
        self.scales = scales
    }

    /// Quantises one row of `dimension` floats into `into` and returns its scale
    /// (`max |v| / 127`; 0 for a row of zeros, whose values stay 0). Non-finite values
    /// become 0 and do not count towards the scale. Every int8 copy of the vectors (this
    /// matrix, the vector cache beside an index) is made by this one function, so they agree.
    public static func quantise(
        row: UnsafePointer<Float>, dimension: Int, into out: UnsafeMutablePointer<Int8>
    ) -> Float {
        var peak: Float = 0
        for j in 0..<dimension where row[j].isFinite {
            peak = max(peak, abs(row[j]))
        }
        guard peak > 0 else {
            out.update(repeating: 0, count: dimension)
            return 0
        }
        let scale = peak / 127
        let inverse = 127 / peak
        for j in 0..<dimension {
            // Half away from zero, as `rounded()` but without a library call per value;
            // |x| ≤ 127 (a bit over by rounding), so x ± 0.5 is exact and truncation rounds.
            let x = row[j].isFinite ? row[j] * inverse : 0
            let r = Int32(x + (x < 0 ? -0.5 : 0.5))
            out[j] = Int8(max(-127, min(127, r)))
        }
        return scale
    }

    /// `out[i] ≈ dot(row i, query)` through the C kernels.
    public func scoresSIMD(query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        values.withUnsafeBufferPointer { v in
            scales.withUnsafeBufferPointer { s in
                guard let vb = v.baseAddress, let sb = s.baseAddress else { return }
                VectorKernels.scoresInt8(
                    values: vb, scales: sb, rows: rows, dimension: dimension, query: query,
                    out: out)
            }
        }
    }

    /// The naive twin of `scoresSIMD`: one scalar dot product per row.
    public func scoresNaive(query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            var s: Float = 0
            for j in 0..<dimension { s += Float(values[r * dimension + j]) * query[j] }
            out[r] = scales[r] * s
        }
    }

    /// Top `k` rows by exact float32 score: an int8 pass over `threads` threads picks
    /// `candidates` rows (at least k), rescored against `exact` (the float32 matrix this
    /// was made from). `scratch` must hold `rows` floats.
    public func topK(
        query: UnsafePointer<Float>, exact: UnsafePointer<Float>, k: Int, candidates: Int,
        include: ((Int) -> Bool)?, scratch: UnsafeMutablePointer<Float>, threads: Int = 1
    ) -> [(index: Int, score: Float)] {
        let picked = values.withUnsafeBufferPointer { v in
            scales.withUnsafeBufferPointer { s -> [(index: Int, score: Float)] in
                guard let vb = v.baseAddress, let sb = s.baseAddress else { return [] }
                return Int8Scan.candidates(
                    values: vb, scales: sb, rows: rows, dimension: dimension, query: query,
                    count: max(k, candidates), include: include, threads: threads,
                    scratch: scratch)
            }
        }
        return TopK.rescore(picked, exact: exact, dimension: dimension, query: query, k: k)
    }
}
