import Tensor

/// The pre-LN ViT image tower: patch embedding, class token, learned positions,
/// `ln_pre`, pre-LN residual blocks, `ln_post` on the class token, projection.
///
/// A batch is folded into the GEMM M dimension (all images' tokens are rows of one
/// matrix); only attention runs per image and head. In the last block only the
/// class token's row goes through the output projection and the MLP, because no
/// other row reaches the output.
public final class VisionTower: @unchecked Sendable {
    struct Block {
        let norm1: NormWeights
        var query: LinearWeights
        var key: LinearWeights
        var value: LinearWeights
        var out: LinearWeights
        let norm2: NormWeights
        var fc1: LinearWeights
        var fc2: LinearWeights
    }

    /// The tower's shape and switches.
    public let config: VisionConfig
    /// Length of the output vectors.
    public let outputDimension: Int
    private let source: WeightSource
    /// The patch embedding as a bias-free linear layer over each patch's values
    /// (`Kernels.patchColumns`), multiplying in the tower's precision.
    private let patch: LinearWeights
    private let classEmbedding: UnsafePointer<Float>
    private let positions: UnsafePointer<Float>
    private let preNorm: NormWeights
    private let postNorm: NormWeights
    private let projection: LinearWeights
    private let blocks: [Block]

    /// How the blocks' Linear layers multiply.
    public let precision: ImagePrecision

    /// When set, `embed` adds the time of each stage to it (for `picseek bench engine`).
    public var profile: ImageProfile?

    /// Whether attention runs fused in float32 on picseek's kernels (`Kernels.attention`'s
    /// `fused`), where `Kernels.useF32Gemm` was set at load; else per head on OpenBLAS.
    let fusedAttention: Bool

    /// Resolves every tensor the tower needs from `weights`, checking shapes. With
    /// `.bfloat16` (which needs `Kernels.bf16Supported`) or `.int8` (`Kernels.int8Supported`)
    /// the blocks' Linear weights and the patch embedding are also rounded or quantised and
    /// packed once here.
    public init(
        config: VisionConfig, projectionDim: Int, weights: WeightSource, names: TensorNames,
        precision: ImagePrecision = .float32
    ) throws(WeightsError) {
        precondition(precision.isSupported(), "this CPU cannot run the \(precision) image tower")
        self.config = config
        self.precision = precision
        fusedAttention = Kernels.useF32Gemm
        outputDimension = projectionDim
        source = weights
        let w = config.hiddenSize, eps = config.layerNormEps, inter = config.intermediateSize
        let patchWeight = try weights.floats(
            names.patchEmbedding, shape: [w, config.channels, config.patchSize, config.patchSize])
        patch = LinearWeights(
            weight: patchWeight, inFeatures: config.channels * config.patchSize * config.patchSize,
            outFeatures: w
        ).multiplying(in: precision)
        classEmbedding = try weights.floats(names.classEmbedding, shape: [w])
        positions = try weights.floats(names.visionPositions, shape: [config.tokens, w])
        preNorm = try NormWeights(weights, names.preNorm, width: w, eps: eps)
        postNorm = try NormWeights(weights, names.postNorm, width: w, eps: eps)
        switch names.layout {
        case .huggingFaceChineseCLIP:
            projection = try LinearWeights(
                weights, weightNamed: names.visualProjection, in: w, out: projectionDim)
        case .openCLIP:
            projection = try LinearWeights(
                weights, inByOutNamed: names.visualProjection, in: w, out: projectionDim)
        }
        var blocks: [Block] = []
        for i in 0..<config.layers {
            let q, k, v: LinearWeights
            switch names.layout {
            case .huggingFaceChineseCLIP:
                q = try LinearWeights(weights, names.visionQuery(i), in: w, out: w)
                k = try LinearWeights(weights, names.visionKey(i), in: w, out: w)
                v = try LinearWeights(weights, names.visionValue(i), in: w, out: w)
            case .openCLIP:
                let fused = names.visionInProjection(i)
                q = try LinearWeights(weights, fused: fused, part: 0, parts: 3, width: w)
                k = try LinearWeights(weights, fused: fused, part: 1, parts: 3, width: w)
                v = try LinearWeights(weights, fused: fused, part: 2, parts: 3, width: w)
            }
            var block = Block(
                norm1: try NormWeights(weights, names.visionNorm1(i), width: w, eps: eps),
                query: q, key: k, value: v,
                out: try LinearWeights(weights, names.visionOut(i), in: w, out: w),
                norm2: try NormWeights(weights, names.visionNorm2(i), width: w, eps: eps),
                fc1: try LinearWeights(weights, names.visionFC1(i), in: w, out: inter),
                fc2: try LinearWeights(weights, names.visionFC2(i), in: inter, out: w))
            block.query = q.multiplying(in: precision)
            block.key = k.multiplying(in: precision)
            block.value = v.multiplying(in: precision)
            block.out = block.out.multiplying(in: precision)
            block.fc1 = block.fc1.multiplying(in: precision)
            block.fc2 = block.fc2.multiplying(in: precision)
            blocks.append(block)
        }
        self.blocks = blocks
    }

    /// Values per preprocessed image: `channels * imageSize * imageSize`.
    public var pixelsPerImage: Int { config.channels * config.imageSize * config.imageSize }

    /// Embeds `batch` planar images stored back to back at `pixels` and returns one
    /// L2-normalised vector per image.
    public func embed(_ pixels: UnsafePointer<Float>, batch: Int) -> [[Float]] {
        guard batch > 0 else { return [] }
        // bfloat16 products need only about 256 rows per pass to run at full speed, and
        // fewer images' activations stay in cache: ViT-B/16 ran 15-17 images/s one image
        // (197 rows) at a time against 12-14 in passes of 8; ViT-B/32 ran 43-57 one image
        // (50 rows) at a time and 64-70 five at a time (`picseek bench engine --image-precision bf16`).
        // float32 on picseek's GEMM is the other way round: ViT-B/16 at batch 8 took 323-326 ms
        // of CPU per image in one pass against 340-348 one image at a time (ViT-B/32: the same
        // either way), so it keeps the whole batch in one pass.
        let perPass = max(1, 256 / config.tokens)
        if precision != .float32 && batch > perPass {
            return stride(from: 0, to: batch, by: perPass).flatMap {
                embed(pixels + $0 * pixelsPerImage, batch: min(perPass, batch - $0))
            }
        }
        let c = config
        let n = c.tokens, w = c.hiddenSize, inter = c.intermediateSize
        let rows = batch * n
        let hidden = Tensor(shape: [rows, w])
        let normed = Tensor(shape: [rows, w])
        let qkv = Tensor(shape: [rows, 3 * w])
        let context = Tensor(shape: [rows, w])
        // The MLP's rows one cache line longer than its width: 3072 floats (12 KB) apart, a
        // GEMM tile's 12 rows would share L1 sets (the down projection ran at 50 instead of
        // 55 G multiply-adds/s per core).
        let ldMLP = inter + 16
        let mlp = Tensor(shape: [rows, ldMLP])
        let columns = Tensor(shape: [c.grid * c.grid, c.channels * c.patchSize * c.patchSize])
        // Heads run in parallel with the fused attention (no OpenBLAS), else only with a
        // single-threaded OpenBLAS (bfloat16 and int8).
        let attentionThreads =
            fusedAttention
            ? max(1, min(Kernels.threads, c.heads))
            : Kernels.attentionParts(threads: Kernels.threads, heads: c.heads)
        let scores = Tensor(shape: [attentionThreads, n, n])
        let cls = Tensor(shape: [batch, w])
        let clsNormed = Tensor(shape: [batch, w])
        let clsContext = Tensor(shape: [batch, w])
        let clsMLP = Tensor(shape: [batch, inter])

        let profile = self.profile
        profile?.start(images: batch)
        // Embeddings: [class, patches...] + positions, then ln_pre.
        for b in 0..<batch {
            let tokens = hidden.row(b * n)
            Kernels.patchColumns(
                image: pixels + b * pixelsPerImage, channels: c.channels, size: c.imageSize,
                patch: c.patchSize, columns: columns.data)
            patch.apply(columns.data, rows: c.grid * c.grid, into: tokens + w)
            tokens.update(from: classEmbedding, count: w)
            for i in 0..<(n * w) { tokens[i] += positions[i] }
        }
        preNorm.apply(hidden.data, rows: rows, into: hidden.data)
        profile?.lap(0)

        for (index, block) in blocks.enumerated() {
            let last = index == blocks.count - 1
            block.norm1.apply(hidden.data, rows: rows, into: normed.data)
            profile?.lap(1)
            block.key.apply(normed.data, rows: rows, into: qkv.data + w, ldOutput: 3 * w)
            block.value.apply(normed.data, rows: rows, into: qkv.data + 2 * w, ldOutput: 3 * w)
            if !last {
                block.query.apply(normed.data, rows: rows, into: qkv.data, ldOutput: 3 * w)
                profile?.lap(2)
                for b in 0..<batch {
                    let base = qkv.row(b * n)
                    Kernels.attention(
                        q: base, ldq: 3 * w, k: base + w, ldk: 3 * w, v: base + 2 * w, ldv: 3 * w,
                        output: context.row(b * n), ldo: w, queries: n, keys: n,
                        heads: c.heads, headDim: c.headDim, scores: scores.data,
                        threads: attentionThreads, fused: fusedAttention)
                }
                profile?.lap(3)
                block.out.apply(context.data, rows: rows, into: hidden.data, accumulate: true)
                profile?.lap(4)
                block.norm2.apply(hidden.data, rows: rows, into: normed.data)
                profile?.lap(1)
                block.fc1.apply(
                    normed.data, rows: rows, into: mlp.data, ldOutput: ldMLP,
                    activation: c.activation)
                profile?.lap(5)
                block.fc2.apply(
                    mlp.data, rows: rows, ldInput: ldMLP, into: hidden.data, accumulate: true)
                profile?.lap(6)
            } else {
                // Only the class token (row 0 of each image) is needed from here on.
                block.query.apply(
                    normed.data, rows: batch, ldInput: n * w, into: qkv.data, ldOutput: n * 3 * w)
                for b in 0..<batch {
                    let base = qkv.row(b * n)
                    Kernels.attention(
                        q: base, ldq: 3 * w, k: base + w, ldk: 3 * w, v: base + 2 * w, ldv: 3 * w,
                        output: clsContext.row(b), ldo: w, queries: 1, keys: n,
                        heads: c.heads, headDim: c.headDim, scores: scores.data,
                        threads: attentionThreads, fused: fusedAttention)
                    cls.row(b).update(from: hidden.row(b * n), count: w)
                }
                block.out.apply(clsContext.data, rows: batch, into: cls.data, accumulate: true)
                block.norm2.apply(cls.data, rows: batch, into: clsNormed.data)
                block.fc1.apply(
                    clsNormed.data, rows: batch, into: clsMLP.data, activation: c.activation)
                block.fc2.apply(clsMLP.data, rows: batch, into: cls.data, accumulate: true)
                profile?.lap(2) // the last block: mostly its key and value products
            }
        }
        if blocks.isEmpty {
            for b in 0..<batch { cls.row(b).update(from: hidden.row(b * n), count: w) }
        }
        postNorm.apply(cls.data, rows: batch, into: clsNormed.data)
        let out = Tensor(shape: [batch, outputDimension])
        projection.apply(clsNormed.data, rows: batch, into: out.data)
        let vectors = (0..<batch).map { b in
            Kernels.l2Normalize(out.row(b), count: outputDimension)
            return Array(UnsafeBufferPointer(start: out.row(b), count: outputDimension))
        }
        profile?.lap(7)
        return vectors
    }
}
