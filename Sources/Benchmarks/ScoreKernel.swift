import Tensor

/// Dot products of one query with every row of a row-major matrix.
public enum ScoreKernel {
    /// Which implementation scores the rows.
    public enum Method: String, Sendable, CaseIterable {
        /// OpenBLAS `sgemv`.
        case blas
        /// A SIMD loop over four rows at a time (see `scores`).
        case loop
        /// A bfloat16 copy scanned first (half the memory traffic), its top
        /// candidates rescored exactly in float32 (see `BF16Matrix`).
        case bf16
        /// Float32 rows through the C kernels (`VectorKernels`, AVX2/AVX-512).
        case simd
        /// Like `bf16`, with the first pass in the C kernels.
        case bf16simd
        /// An int8 copy (one scale per row, a quarter of the bytes) scanned
        /// in the C kernels, its top candidates rescored in float32.
        case int8simd

        /// Whether this method scans a bfloat16 copy and rescores candidates.
        public var usesBF16: Bool { self == .bf16 || self == .bf16simd }
    }

    /// `out[i] = dot(matrix[i], query)` with the chosen method.
    public static func scores(
        _ method: Method, matrix: UnsafePointer<Float>, rows: Int, dimension: Int,
        query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        switch method {
        case .blas:
            BLAS.sgemv(m: rows, n: dimension, a: matrix, lda: dimension, x: query, y: out)
        case .simd, .bf16simd, .int8simd:
            VectorKernels.scores(
                matrix: matrix, rows: rows, dimension: dimension, query: query, out: out)
        case .loop, .bf16:
            // bf16 needs its own copy of the matrix; callers holding one use
            // BF16Matrix directly, everyone else gets exact float32 scores.
            scores(matrix: matrix, rows: rows, dimension: dimension, query: query, out: out)
        }
    }

    /// The tuned loop: four rows share each load of the query, with SIMD8
    /// accumulators; a scalar tail handles dimensions not divisible by 8.
    public static func scores(
        matrix: UnsafePointer<Float>, rows: Int, dimension d: Int,
        query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        let vecs = d / 8
        let tail = vecs * 8
        let q = UnsafeRawPointer(query)
        var r = 0
        while r + 4 <= rows {
            let p0 = UnsafeRawPointer(matrix + r * d)
            let p1 = UnsafeRawPointer(matrix + (r + 1) * d)
            let p2 = UnsafeRawPointer(matrix + (r + 2) * d)
            let p3 = UnsafeRawPointer(matrix + (r + 3) * d)
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
            for v in 0..<vecs {
                let off = v * 32
                let x = q.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self)
                a0 += p0.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self) * x
                a1 += p1.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self) * x
                a2 += p2.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self) * x
                a3 += p3.loadUnaligned(fromByteOffset: off, as: SIMD8<Float>.self) * x
            }
            var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
            for j in tail..<d {
                let x = query[j]
                s0 += matrix[r * d + j] * x
                s1 += matrix[(r + 1) * d + j] * x
                s2 += matrix[(r + 2) * d + j] * x
                s3 += matrix[(r + 3) * d + j] * x
            }
            out[r] = s0; out[r + 1] = s1; out[r + 2] = s2; out[r + 3] = s3
            r += 4
        }
        while r < rows {
            out[r] = scoresNaiveRow(matrix + r * d, query, d)
            r += 1
        }
    }

    /// The naive twin: one scalar dot product per row.
    public static func scoresNaive(
        matrix: UnsafePointer<Float>, rows: Int, dimension d: Int,
        query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>
    ) {
        for r in 0..<rows { out[r] = scoresNaiveRow(matrix + r * d, query, d) }
    }

    private static func scoresNaiveRow(
        _ row: UnsafePointer<Float>, _ query: UnsafePointer<Float>, _ d: Int
    ) -> Float {
        var s: Float = 0
        for j in 0..<d { s += row[j] * query[j] }
        return s
    }
}
