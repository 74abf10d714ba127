extension Kernels {
    /// `output = activation(input · weightᵀ + bias)`, or with `accumulate`
    /// `output += input · weightᵀ + bias` (a residual connection for free).
    ///
    /// `input` is `rows` × `inFeatures` with row stride `ldInput`; `weight` is
    /// `[outFeatures, inFeatures]` (PyTorch `Linear` layout, contiguous); `output` is
    /// `rows` × `outFeatures` with row stride `ldOutput`. Up to `thinLinearMaxRows` rows
    /// go through `thinLinear` (weights read once, no packing), more through one `sgemm`
    /// with a transposed B; then one fused pass for bias and activation. `accumulate` requires `.identity`.
    public static func linear(
        input: UnsafePointer<Float>, rows: Int, inFeatures: Int, ldInput: Int? = nil,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outFeatures: Int,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        activation: Activation = .identity, accumulate: Bool = false
    ) {
        precondition(
            !accumulate || activation == .identity, "cannot accumulate through an activation")
        let ldo = ldOutput ?? outFeatures
        if rows <= thinLinearMaxRows {
            thinLinear(
                input: input, rows: rows, inFeatures: inFeatures, ldInput: ldInput,
                weight: weight, outFeatures: outFeatures, output: output, ldOutput: ldo,
                accumulate: accumulate, threads: threads)
        } else if rows == 1 {
            BLAS.sgemv(
                m: outFeatures, n: inFeatures, a: weight, lda: inFeatures,
                x: input, y: output, beta: accumulate ? 1 : 0)
        } else {
            BLAS.sgemm(
                m: rows, n: outFeatures, k: inFeatures,
                a: input, lda: ldInput ?? inFeatures,
                b: weight, ldb: inFeatures, transB: true,
                c: output, ldc: ldo, beta: accumulate ? 1 : 0)
        }
        biasActivation(
            output, rows: rows, cols: outFeatures, ld: ldo, bias: bias, activation: activation)
    }

    /// Naive twin of `linear`: triple loop with a double accumulator.
    public static func linearNaive(
        input: UnsafePointer<Float>, rows: Int, inFeatures: Int, ldInput: Int? = nil,
        weight: UnsafePointer<Float>, bias: UnsafePointer<Float>?, outFeatures: Int,
        output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        activation: Activation = .identity, accumulate: Bool = false
    ) {
        let ldi = ldInput ?? inFeatures
        let ldo = ldOutput ?? outFeatures
        for r in 0..<rows {
            for o in 0..<outFeatures {
                var s: Double = accumulate ? Double(output[r * ldo + o]) : 0
                for i in 0..<inFeatures {
                    s += Double(input[r * ldi + i]) * Double(weight[o * inFeatures + i])
                }
                output[r * ldo + o] = Float(s)
            }
        }
        biasActivationNaive(
            output, rows: rows, cols: outFeatures, ld: ldo, bias: bias, activation: activation)
    }
}
