import CSIMD

extension Kernels {
    /// Whether this CPU runs `linearPackedGemm` (AVX-512F).
    /// The corresponding C function is `csimd_f32_gemm_supported`.
    public static var f32GemmSupported: Bool { csimd_f32_gemm_supported() != 0 }

    /// Whether float32 image towers built from now on multiply through `linearPackedGemm`:
    /// by default where `f32GemmSupported`; false keeps them on OpenBLAS `sgemm`, to compare
    /// (`picseek bench engine --openblas-fp32`). Set it to true only where supported.
    nonisolated(unsafe) public static var useF32Gemm = csimd_f32_gemm_supported() != 0

    /// Input rows `linearPackedGemm` takes at a time (a block's rows stay in cache while a
    /// panel's weights are reused over them).
    public static let f32GemmBlockRows = Int(CSIMD_F32_BLOCK_ROWS)

    /// `output (=|+=) activation(input · weightᵀ + bias)` in float32 against panel-packed
    /// weights, for many rows (an image tower's tokens).
    ///
    /// Shapes as in `linear`. Every product is a float32 fused multiply-add; register tiles
    /// of 12 rows times one panel of 32 outputs run over blocks of `f32GemmBlockRows` rows,
    /// and the bias and the activation are applied while the sums are in registers, so the
    /// output is written once. The output columns are split over `threads` threads in whole
    /// panels, the calling thread and the workers of the pool `linearPacked` uses. Requires
    /// `f32GemmSupported`; `accumulate` requires `.identity`. The corresponding C function
    /// is `csimd_gemm_f32_parallel`.
    public static func linearPackedGemm(
        input: UnsafePointer<Float>, rows: Int, ldInput: Int? = nil,
        weight: PackedF32Weights, bias: UnsafePointer<Float>?,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        activation: Activation = .identity, accumulate: Bool = false, threads: Int = 1
    ) {
        precondition(f32GemmSupported, "this CPU has no AVX-512F")
        guard
            case let (k, n, ldi, ldo)? = packedShape(
                rows: rows, inFeatures: weight.inFeatures, outFeatures: weight.outFeatures,
                ldInput: ldInput, ldOutput: ldOutput, activation: activation,
                accumulate: accumulate)
        else { return }
        let panels = (n + PackedF32Weights.panelWidth - 1) / PackedF32Weights.panelWidth
        let parts = rows * k * n >= thinParallelMinimum ? max(1, min(threads, panels)) : 1
        csimd_gemm_f32_parallel(
            Int32(parts), input, rows, k, ldi, weight.storage, bias, activation.kernelKind, n,
            output, ldo,
            accumulate ? 1 : 0)
    }

    /// Naive twin of `linearPackedGemm`: the triple loop of `linearNaive` (a double
    /// accumulator) over the unpacked weights, then `biasActivationNaive`.
    public static func linearPackedGemmNaive(
        input: UnsafePointer<Float>, rows: Int, inFeatures: Int, ldInput: Int? = nil,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outFeatures: Int,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        activation: Activation = .identity, accumulate: Bool = false
    ) {
        linearNaive(
            input: input, rows: rows, inFeatures: inFeatures, ldInput: ldInput, weight: weight,
            bias: bias, outFeatures: outFeatures, output: output, ldOutput: ldOutput,
            activation: activation, accumulate: accumulate)
    }
}
