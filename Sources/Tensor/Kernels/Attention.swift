import CSIMD
import Dispatch

extension Kernels {
    /// Multi-head scaled dot-product attention for one sequence.
    ///
    /// `q` holds `queries` rows, `k` and `v` hold `keys` rows, each `heads * headDim`
    /// wide with row strides `ldq`, `ldk`, `ldv` (so q, k and v may be column blocks
    /// of one fused buffer). Head `h` uses columns `h*headDim ..< (h+1)*headDim`.
    /// `output` (`queries` rows, stride `ldo`) receives the concatenated heads.
    /// `keyMask[j] == false` excludes key `j` (padding). Per head: QKᵀ by `sgemm`,
    /// softmax, then ·V by `sgemm`.
    ///
    /// With `threads` > 1 the heads are split over `min(threads, heads)` threads, each
    /// calling OpenBLAS on its own heads: pass `attentionParts(threads:heads:)`, which is 1
    /// unless OpenBLAS is single-threaded. (Calls from several threads into a
    /// multi-threaded OpenBLAS contend for its pool: ViT-B/16 fell from 16.8 to 4.8
    /// images/s.) `scores` is scratch space of at least `min(threads, heads) * queries * keys`
    /// floats.
    ///
    /// With `fused` (which needs `f32GemmSupported`, and is ignored with a `keyMask`) each
    /// head runs in `csimd_attention_f32` instead: keys and values packed once, then per 48
    /// query rows the scores, their softmax and the product with the values while the
    /// scores are in cache, all in float32 on `linearPackedGemm`'s register tiles, without
    /// OpenBLAS, so the heads split over up to `threads` threads whatever `BLAS.threads`
    /// is; it keeps its packed operands in its own scratch, not in `scores`.
    public static func attention(
        q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int,
        v: UnsafePointer<Float>, ldv: Int,
        output: UnsafeMutablePointer<Float>, ldo: Int,
        queries: Int, keys: Int, heads: Int, headDim: Int,
        keyMask: UnsafePointer<Bool>? = nil, scores: UnsafeMutablePointer<Float>, threads: Int = 1,
        fused: Bool = false
    ) {
        if fused && keyMask == nil {
            precondition(f32GemmSupported, "this CPU has no AVX-512F")
            attentionFused(
                q: q, ldq: ldq, k: k, ldk: ldk, v: v, ldv: ldv, output: output, ldo: ldo,
                queries: queries, keys: keys, heads: heads, headDim: headDim, threads: threads)
            return
        }
        let parts = max(1, min(threads, heads))
        if parts > 1 {
            let p = AttentionPointers(q: q, k: k, v: v, output: output, scores: scores)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                for h in (part * heads / parts)..<((part + 1) * heads / parts) {
                    let offset = h * headDim
                    attention(
                        q: p.q + offset, ldq: ldq, k: p.k + offset, ldk: ldk, v: p.v + offset,
                        ldv: ldv,
                        output: p.output + offset, ldo: ldo, queries: queries, keys: keys, heads: 1,
                        headDim: headDim, keyMask: keyMask, scores: p.scores + part * queries * keys
                    )
                }
            }
            return
        }
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

    /// `attention`'s fused path: the heads split over up to `threads` threads, each with
    /// its own scratch, each head one call of `csimd_attention_f32`.
    private static func attentionFused(
        q: UnsafePointer<Float>, ldq: Int, k: UnsafePointer<Float>, ldk: Int,
        v: UnsafePointer<Float>, ldv: Int, output: UnsafeMutablePointer<Float>, ldo: Int,
        queries: Int, keys: Int, heads: Int, headDim: Int, threads: Int
    ) {
        let parts = max(1, min(threads, heads))
        let each = csimd_attention_f32_scratch(keys, headDim)
        let scratch = UnsafeMutableRawPointer.allocate(
            byteCount: parts * each * MemoryLayout<Float>.stride, alignment: 64
        ).bindMemory(to: Float.self, capacity: parts * each)
        defer { UnsafeMutableRawPointer(scratch).deallocate() }
        let p = AttentionPointers(q: q, k: k, v: v, output: output, scores: scratch)
        let scale = 1 / Float(headDim).squareRoot()
        let run = { (part: Int) in
            for h in (part * heads / parts)..<((part + 1) * heads / parts) {
                let offset = h * headDim
                csimd_attention_f32(
                    p.q + offset, ldq, p.k + offset, ldk, p.v + offset, ldv, p.output + offset,
                    ldo, queries, keys, headDim, scale, p.scores + part * each)
            }
        }
        if parts == 1 {
            run(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts, execute: run)
        }
    }

    /// The `threads` to give `attention` for `heads` heads: up to `threads` when OpenBLAS
    /// runs single-threaded (`blasThreads == 1`), else 1.
    public static func attentionParts(threads: Int, heads: Int, blasThreads: Int = BLAS.threads)
        -> Int
    {
        blasThreads == 1 ? max(1, min(threads, heads)) : 1
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

/// Pointers handed to the threads of a parallel attention; each writes its own heads'
/// output columns and its own part of `scores`.
private struct AttentionPointers: @unchecked Sendable {
    let q: UnsafePointer<Float>
    let k: UnsafePointer<Float>
    let v: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let scores: UnsafeMutablePointer<Float>
}
