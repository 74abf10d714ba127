extension Kernels {
    /// Multi-head scaled dot-product attention for one sequence.
    ///
    /// `q` holds `queries` rows, `k` and `v` hold `keys` rows, each `heads * headDim`
    /// wide with row strides `ldq`, `ldk`, `ldv` (so q, k and v may be column blocks
    /// of one fused buffer). Head `h` uses columns `h*headDim ..< (h+1)*headDim`.
    /// `output` (`queries` rows, stride `ldo`) receives the concatenated heads.
    /// `keyMask[j] == false` excludes key `j` (padding). `scores` is scratch space of
    /// at least `queries * keys` floats. Per head: QKᵀ by `sgemm`, softmax, then ·V by `sgemm`.
    public static func attention(
        q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int,
        v: UnsafePointer<Float>, ldv: Int,
        output: UnsafeMutablePointer<Float>, ldo: Int,
        queries: Int, keys: Int, heads: Int, headDim: Int,
        keyMask: UnsafePointer<Bool>? = nil, scores: UnsafeMutablePointer<Float>
    ) {
        let scale = 1 / Float(headDim).squareRoot()
        for h in 0..<heads {
            let offset = h * headDim
            BLAS.sgemm(
                m: queries, n: keys, k: headDim,
                a: q + offset, lda: ldq, b: k + offset, ldb: ldk, transB: true,
                c: scores, ldc: keys, alpha: scale)
            if let keyMask {
                for i in 0..<queries {
                    let row = scores + i * keys
                    for j in 0..<keys where !keyMask[j] { row[j] = -Float.greatestFiniteMagnitude }
                }
            }
            softmaxRows(scores, rows: queries, cols: keys)
            BLAS.sgemm(
                m: queries, n: headDim, k: keys,
                a: scores, lda: keys, b: v + offset, ldb: ldv,
                c: output + offset, ldc: ldo)
        }
    }

    /// Naive twin of `attention`: explicit loops, double accumulators, libm `exp`.
    public static func attentionNaive(
        q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int,
        v: UnsafePointer<Float>, ldv: Int,
        output: UnsafeMutablePointer<Float>, ldo: Int,
        queries: Int, keys: Int, heads: Int, headDim: Int,
        keyMask: UnsafePointer<Bool>? = nil
    ) {
        let scale = 1 / Double(headDim).squareRoot()
        var s = [Float](repeating: 0, count: keys)
        for h in 0..<heads {
            let offset = h * headDim
            for i in 0..<queries {
                for j in 0..<keys {
                    var d: Double = 0
                    for c in 0..<headDim {
                        d += Double(q[i * ldq + offset + c]) * Double(k[j * ldk + offset + c])
                    }
                    s[j] = Float(d * scale)
                    if let keyMask, !keyMask[j] { s[j] = -Float.greatestFiniteMagnitude }
                }
                s.withUnsafeMutableBufferPointer { buffer in
                    if let base = buffer.baseAddress { softmaxRowsNaive(base, rows: 1, cols: keys) }
                }
                for c in 0..<headDim {
                    var acc: Double = 0
                    for j in 0..<keys { acc += Double(s[j]) * Double(v[j * ldv + offset + c]) }
                    output[i * ldo + offset + c] = Float(acc)
                }
            }
        }
    }
}
