import CSIMD
import Dispatch

extension Kernels {
    /// Inputs with at most this many rows go through `thinLinear` instead of OpenBLAS.
    ///
    /// Measured with `picseek bench engine --thin-max-rows`: a general GEMM repacks the
    /// weight matrix on every call, which dominates when only a few rows (a text query,
    /// class tokens, one ViT-B/32 image) are multiplied; the thin kernel reads each weight
    /// once instead. 80 covers the longest text contexts (52 and 77 tokens): a 52-token
    /// Chinese-CLIP query took 36 ms instead of 60 ms (50 ms with the AVX2 kernel), a
    /// 77-token XLM-R query 54 ms instead of 91 ms, one ViT-B/32 image (50 rows) 40 ms
    /// instead of 56 ms, with 2 threads against OpenBLAS's AVX2 kernels. 0 sends
    /// everything to OpenBLAS.
    nonisolated(unsafe) public static var thinLinearMaxRows = 80

    /// The instruction-set level `linear` uses for its thin products: the best this CPU
    /// supports unless a benchmark narrows it (`picseek bench engine --simd`). Must be supported.
    nonisolated(unsafe) public static var thinLinearLevel = SIMDLevel.best

    /// Below this many multiply-adds a `thinLinear` call stays on the calling thread.
    static let thinParallelMinimum = 1 << 18

    /// `output (=|+=) input · weightᵀ` for few rows, without bias or activation.
    ///
    /// Shapes as in `linear`. Each weight row is read once and multiplied with every
    /// input row while cached. With `threads` > 1 the output columns are split over
    /// that many threads (each reads its own share of the weights). `level` defaults
    /// to `thinLinearLevel` and must be supported.
    /// The corresponding C function is `csimd_linear_f32`.
    public static func thinLinear(
        input: UnsafePointer<Float>, rows: Int, inFeatures: Int, ldInput: Int? = nil,
        weight: UnsafePointer<Float>, outFeatures: Int,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        accumulate: Bool = false, level: SIMDLevel? = nil, threads: Int = 1
    ) {
        let level = level ?? thinLinearLevel
        precondition(rows >= 0 && inFeatures >= 0 && outFeatures >= 0, "negative linear dimension")
        precondition(level.isSupported, "SIMD level \(level) is not supported by this CPU")
        if rows == 0 || outFeatures == 0 { return }
        let ldi = ldInput ?? inFeatures, ldo = ldOutput ?? outFeatures
        let work = rows * inFeatures * outFeatures
        let parts = work >= thinParallelMinimum ? max(1, min(threads, outFeatures / 4)) : 1
        if parts == 1 {
            csimd_linear_f32(
                level.rawValue, input, rows, inFeatures, ldi, weight, 0, outFeatures,
                output, ldo, accumulate ? 1 : 0)
            return
        }
        // Column ranges in multiples of 12 so every part uses the widest tiles (3 and 4 columns).
        let chunk = (outFeatures / parts + 11) / 12 * 12
        let out = UnsafeSendable(output)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let begin = min(outFeatures, part * chunk)
            let end = part == parts - 1 ? outFeatures : min(outFeatures, begin + chunk)
            csimd_linear_f32(
                level.rawValue, input, rows, inFeatures, ldi, weight, begin, end,
                out.pointer, ldo, accumulate ? 1 : 0)
        }
    }
}

/// A pointer handed to worker threads that write disjoint parts of it.
private struct UnsafeSendable: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}
