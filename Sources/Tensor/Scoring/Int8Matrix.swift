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
        for r in 0..<rows {
            let base = r * dimension
            var peak: Float = 0
            for j in 0..<dimension where matrix[base + j].isFinite {
                peak = max(peak, abs(matrix[base + j]))
            }
            guard peak > 0 else { continue }
            let scale = peak / 127
            scales[r] = scale
            for j in 0..<dimension {
                let v = matrix[base + j]
                guard v.isFinite else { continue }
                values[base + j] = Int8(max(-127, min(127, (v / scale).rounded())))
            }
        }
        self.values = values
        self.scales = scales
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

    /// Top `k` rows by exact float32 score: an int8 pass picks `candidates`
    /// rows (at least k), rescored against `exact` (the float32 matrix this
    /// was made from). `scratch` must hold `rows` floats.
    public func topK(
        query: UnsafePointer<Float>, exact: UnsafePointer<Float>, k: Int, candidates: Int,
        include: ((Int) -> Bool)?, scratch: UnsafeMutablePointer<Float>
    ) -> [(index: Int, score: Float)] {
        scoresSIMD(query: query, out: scratch)
        let picked = TopK.select(
            UnsafeBufferPointer(start: scratch, count: rows), k: max(k, candidates),
            include: include)
        return TopK.rescore(picked, exact: exact, dimension: dimension, query: query, k: k)
    }
}
