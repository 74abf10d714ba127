import Tensor

/// A copy of a row-major float matrix in bfloat16 (the top 16 bits of each
/// float32, rounded to nearest even): half the bytes to stream per query.
///
/// Used for a first pass whose top candidates are then rescored exactly in
/// float32, so the final ranking and scores are those of the float32 matrix
/// whenever the true top k are among the candidates (bf16 keeps ~3 significant
/// digits; 200 candidates leave a wide margin for top-10).
public struct BF16Matrix: Sendable {
    /// Number of rows.
    public let rows: Int
    /// Row length.
    public let dimension: Int
    /// `rows × dimension` bfloat16 bit patterns.
    public let bits: [UInt16]

    /// Converts `matrix` (`rows × dimension` floats).
    public init(_ matrix: [Float], rows: Int, dimension: Int) {
        precondition(matrix.count == rows * dimension, "matrix does not match its shape")
        self.rows = rows
        self.dimension = dimension
        bits = matrix.map(Self.bf16)
    }

    /// float32 → bfloat16 bits, rounding to nearest even.
    @inline(__always)
    public static func bf16(_ value: Float) -> UInt16 {
        let b = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: b >> 16) | 0x40 }
        let rounded = b &+ 0x7FFF &+ ((b >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }

    /// bfloat16 bits → float32 (exact).
    @inline(__always)
    public static func float(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }

    /// `out[i] = dot(row i, query)` over the bf16 rows: four rows share each
    /// query load; each 8-value chunk widens to float32 by a shift.
    public func scores(query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        let d = dimension
        let vecs = d / 8
        let tail = vecs * 8
        let q = UnsafeRawPointer(query)
        bits.withUnsafeBufferPointer { buffer in
            guard let m = buffer.baseAddress else { return }
            @inline(__always) func widen(_ p: UnsafeRawPointer, _ off: Int) -> SIMD8<Float> {
                let h = p.loadUnaligned(fromByteOffset: off, as: SIMD8<UInt16>.self)
                let w = SIMD8<UInt32>(truncatingIfNeeded: h) &<< 16
                return unsafeBitCast(w, to: SIMD8<Float>.self)
            }
            var r = 0
            while r + 4 <= rows {
                let p0 = UnsafeRawPointer(m + r * d), p1 = UnsafeRawPointer(m + (r + 1) * d)
                let p2 = UnsafeRawPointer(m + (r + 2) * d), p3 = UnsafeRawPointer(m + (r + 3) * d)
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(),
                    a3 = SIMD8<Float>()
                for v in 0..<vecs {
                    let x = q.loadUnaligned(fromByteOffset: v * 32, as: SIMD8<Float>.self)
                    let off = v * 16
                    a0 += widen(p0, off) * x
                    a1 += widen(p1, off) * x
                    a2 += widen(p2, off) * x
                    a3 += widen(p3, off) * x
                }
                var s = (a0.sum(), a1.sum(), a2.sum(), a3.sum())
                for j in tail..<d {
                    let x = query[j]
                    s.0 += Self.float(m[r * d + j]) * x
                    s.1 += Self.float(m[(r + 1) * d + j]) * x
                    s.2 += Self.float(m[(r + 2) * d + j]) * x
                    s.3 += Self.float(m[(r + 3) * d + j]) * x
                }
                out[r] = s.0; out[r + 1] = s.1; out[r + 2] = s.2; out[r + 3] = s.3
                r += 4
            }
            while r < rows {
                var s: Float = 0
                for j in 0..<d { s += Self.float(m[r * d + j]) * query[j] }
                out[r] = s
                r += 1
            }
        }
    }

    /// `scores` through the C kernels (`VectorKernels`, AVX2/AVX-512 when
    /// the CPU has them).
    public func scoresSIMD(query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        bits.withUnsafeBufferPointer { buffer in
            guard let m = buffer.baseAddress else { return }
            VectorKernels.scoresBF16(
                bits: m, rows: rows, dimension: dimension, query: query, out: out)
        }
    }

    /// The naive twin of `scores`: one scalar dot product per row.
    public func scoresNaive(query: UnsafePointer<Float>, out: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            var s: Float = 0
            for j in 0..<dimension { s += Self.float(bits[r * dimension + j]) * query[j] }
            out[r] = s
        }
    }

    /// Top `k` rows by exact float32 score: a bf16 pass picks `candidates`
    /// rows (at least k), which are rescored against `exact` (the float32
    /// matrix this was made from). `scratch` must hold `rows` floats.
    /// `simd` runs the first pass in the C kernels instead of Swift.
    public func topK(
        query: UnsafePointer<Float>, exact: UnsafePointer<Float>, k: Int, candidates: Int,
        include: ((Int) -> Bool)?, scratch: UnsafeMutablePointer<Float>, simd: Bool = true
    ) -> [(index: Int, score: Float)] {
        if simd {
            scoresSIMD(query: query, out: scratch)
        } else {
            scores(query: query, out: scratch)
        }
        let picked = TopK.select(
            UnsafeBufferPointer(start: scratch, count: rows), k: max(k, candidates),
            include: include)
        return TopK.rescore(picked, exact: exact, dimension: dimension, query: query, k: k)
    }
}
