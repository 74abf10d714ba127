import Tensor

/// Pointers to one `Linear` layer's weights (`[out, in]`) and optional bias.
struct LinearWeights: @unchecked Sendable {
    let weight: UnsafePointer<Float>
    let bias: UnsafePointer<Float>?
    let inFeatures: Int
    let outFeatures: Int
    /// Keeps a transposed copy alive (only for weights stored `[in, out]`).
    private var owner: Tensor?
    /// The weights rounded to bfloat16, when the layer multiplies in bfloat16.
    private(set) var packedBF16: PackedBF16Weights?
    /// The weights quantised to int8, when the layer multiplies in int8.
    private(set) var packedInt8: PackedInt8Weights?
    /// The weights copied into panels for few-row products (`Kernels.linearPacked`).
    private(set) var packedF32: PackedF32Weights?
    /// Whether `packedF32` multiplies through the many-row GEMM (`Kernels.linearPackedGemm`).
    private(set) var manyRows = false

    /// A bias-free layer over weights already in memory, `[outFeatures, inFeatures]`.
    init(weight: UnsafePointer<Float>, inFeatures: Int, outFeatures: Int) {
        self.weight = weight
        bias = nil
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    /// This layer multiplying against a panel-packed float32 copy of its weights, for any
    /// number of rows (so the original need not stay in memory).
    func packedForFewRows() -> LinearWeights {
        var copy = self
        copy.packedF32 = PackedF32Weights(
            weight: weight, outFeatures: outFeatures, inFeatures: inFeatures,
            threads: Kernels.threads)
        return copy
    }

    /// This layer multiplying in float32 against a panel-packed copy of its weights through
    /// the many-row GEMM (`Kernels.linearPackedGemm`, bias and activation in its epilogue),
    /// however few the rows. Needs `Kernels.f32GemmSupported`.
    func packedForManyRows() -> LinearWeights {
        var copy = packedForFewRows()
        copy.manyRows = true
        return copy
    }

    /// This layer multiplying in bfloat16 (`Kernels.linearBF16`), however few the rows.
    /// Needs `Kernels.bf16Supported`.
    func inBFloat16() -> LinearWeights {
        var copy = self
        copy.packedBF16 = PackedBF16Weights(
            weight: weight, outFeatures: outFeatures, inFeatures: inFeatures)
        return copy
    }

    /// This layer multiplying in int8 (`Kernels.linearInt8`), however few the rows.
    /// Needs `Kernels.int8Supported`.
    func inInt8() -> LinearWeights {
        var copy = self
        copy.packedInt8 = PackedInt8Weights(
            weight: weight, outFeatures: outFeatures, inFeatures: inFeatures)
        return copy
    }

    /// This layer multiplying in `precision`: bfloat16 and int8 pack the weights once here,
    /// and so does float32 where the many-row float32 GEMM runs (`Kernels.useF32Gemm`;
    /// elsewhere float32 multiplies through OpenBLAS in place).
    func multiplying(in precision: ImagePrecision) -> LinearWeights {
        switch precision {
        case .float32: Kernels.useF32Gemm ? packedForManyRows() : self
        case .bfloat16: inBFloat16()
        case .int8: inInt8()
        }
    }

    /// Rows `part * out ..< (part + 1) * out` of a fused projection (OpenCLIP
    /// `in_proj_weight` `[3W, W]` and `in_proj_bias` `[3W]`), read in place.
    init(_ source: WeightSource, fused prefix: String, part: Int, parts: Int, width: Int)
        throws(WeightsError)
    {
        let w = try source.floats(prefix + ".in_proj_weight", shape: [parts * width, width])
        let b = try source.floats(prefix + ".in_proj_bias", shape: [parts * width])
        weight = w + part * width * width
        bias = b + part * width
        inFeatures = width
        outFeatures = width
    }

    /// A bias-free weight stored `[in, out]` (used as `x · P`), transposed once at load.
    init(
        _ source: WeightSource, inByOutNamed name: String, in inFeatures: Int, out outFeatures: Int
    ) throws(WeightsError) {
        let p = try source.floats(name, shape: [inFeatures, outFeatures])
        let t = Tensor(shape: [outFeatures, inFeatures])
        for i in 0..<inFeatures {
            for o in 0..<outFeatures { t.data[o * inFeatures + i] = p[i * outFeatures + o] }
        }
        owner = t
        weight = UnsafePointer(t.data)
        bias = nil
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    /// Loads `<prefix>.weight` and, when `hasBias`, `<prefix>.bias`.
    init(
        _ source: WeightSource, _ prefix: String, in inFeatures: Int, out outFeatures: Int,
        hasBias: Bool = true
    ) throws(WeightsError) {
        weight = try source.floats(prefix + ".weight", shape: [outFeatures, inFeatures])
        bias = hasBias ? try source.floats(prefix + ".bias", shape: [outFeatures]) : nil
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    /// Loads a bias-free weight stored under its full name.
    init(_ source: WeightSource, weightNamed name: String, in inFeatures: Int, out outFeatures: Int)
        throws(WeightsError)
    {
        weight = try source.floats(name, shape: [outFeatures, inFeatures])
        bias = nil
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    /// `output (=|+=) activation(input · Wᵀ + b)` over `rows` rows.
    func apply(
        _ input: UnsafePointer<Float>, rows: Int, ldInput: Int? = nil,
        into output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        activation: Activation = .identity, accumulate: Bool = false, addBias: Bool = true
    ) {
        if let packedBF16 {
            Kernels.linearBF16(
                input: input, rows: rows, ldInput: ldInput, weight: packedBF16,
                bias: addBias ? bias : nil,
                output: output, ldOutput: ldOutput, activation: activation, accumulate: accumulate,
                threads: Kernels.threads)
            return
        }
        if let packedInt8 {
            Kernels.linearInt8(
                input: input, rows: rows, ldInput: ldInput, weight: packedInt8,
                bias: addBias ? bias : nil,
                output: output, ldOutput: ldOutput, activation: activation, accumulate: accumulate,
                threads: Kernels.threads)
            return
        }
        if let packedF32, manyRows {
            Kernels.linearPackedGemm(
                input: input, rows: rows, ldInput: ldInput, weight: packedF32,
                bias: addBias ? bias : nil, output: output, ldOutput: ldOutput,
                activation: activation, accumulate: accumulate, threads: Kernels.threads)
            return
        }
        if let packedF32 {
            Kernels.linearPacked(
                input: input, rows: rows, ldInput: ldInput, weight: packedF32,
                bias: addBias ? bias : nil, output: output, ldOutput: ldOutput,
                activation: activation, accumulate: accumulate, threads: Kernels.threads)
            return
        }
        Kernels.linear(
            input: input, rows: rows, inFeatures: inFeatures, ldInput: ldInput,
            weight: weight, bias: addBias ? bias : nil, outFeatures: outFeatures,
            output: output, ldOutput: ldOutput, activation: activation, accumulate: accumulate)
    }
}

/// Pointers to one LayerNorm's scale and shift.
struct NormWeights: @unchecked Sendable {
    let gamma: UnsafePointer<Float>
    let beta: UnsafePointer<Float>
    let eps: Float
    let width: Int

    init(_ source: WeightSource, _ prefix: String, width: Int, eps: Float) throws(WeightsError) {
        gamma = try source.floats(prefix + ".weight", shape: [width])
        beta = try source.floats(prefix + ".bias", shape: [width])
        self.eps = eps
        self.width = width
    }

    /// Normalises `rows` rows of `input` into `output` (may alias), optionally adding `bias` first.
    func apply(
        _ input: UnsafeMutablePointer<Float>, rows: Int, ldInput: Int? = nil,
        into output: UnsafeMutablePointer<Float>, ldOutput: Int? = nil,
        addBias: UnsafePointer<Float>? = nil
    ) {
        Kernels.layerNorm(
            input: input, rows: rows, cols: width, ldInput: ldInput, gamma: gamma, beta: beta,
            eps: eps, output: output, ldOutput: ldOutput, addBias: addBias)
    }
}
