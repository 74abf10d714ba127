import Foundation
import Tensor

/// The post-LN BERT-style text tower: word + position + token-type-0 embeddings,
/// LayerNorm, post-LN blocks with erf-GELU, pooling ([CLS] or masked mean), projection.
///
/// Trailing padding tokens are dropped before the forward pass (exact, because
/// padded keys are masked out and no output depends on padded rows); padding ids
/// inside the sequence are masked as keys. With [CLS] pooling the last block runs
/// its output projection and MLP on the first row only.
///
/// By default every block's Linear weights are also copied once into panels
/// (`PackedF32Weights`, the query, key and value projections stacked into one
/// matrix) so a query's few rows stream each weight once (`Kernels.linearPacked`):
/// float32 throughout, about twice the speed of the unpacked thin kernel. The packed
/// copies serve every row count, so a memory-mapped file's pages of those weights are
/// dropped after packing (`WeightSource.willNotNeed`) and resident memory stays about
/// the size of the weights. Packing happens on the first `embed`, so a process that
/// loads the model only for its image tower (indexing) never holds the copy.
public final class TextTower: @unchecked Sendable {
    struct Block {
        let query: LinearWeights
        let key: LinearWeights
        let value: LinearWeights
        let attentionOut: LinearWeights
        let attentionNorm: NormWeights
        let intermediate: LinearWeights
        let output: LinearWeights
        let outputNorm: NormWeights
        /// Query, key and value packed as one `[3W, W]` matrix, when the tower packs.
        var fusedQKV: FusedQKV? = nil
    }

    /// The query, key and value projections as one packed matrix and one bias.
    struct FusedQKV {
        let weight: PackedF32Weights
        let bias: Tensor
    }

    /// The tower's shape and switches.
    public let config: TextConfig
    /// Length of the output vectors.
    public let outputDimension: Int
    private let source: WeightSource
    private let words: UnsafePointer<Float>
    private let positions: UnsafePointer<Float>
    private let tokenType0: UnsafePointer<Float>
    private let embeddingNorm: NormWeights
    /// The blocks as loaded (weights in place).
    private let loadedBlocks: [Block]
    /// The blocks with packed or bfloat16 copies, made by the first `embed`.
    private var readyBlocks: [Block]?
    private let readyLock = NSLock()
    private let projection: [LinearWeights]
    private let projectionActivation: Activation
    /// Whether the block weights are packed for few-row products (on the first `embed`).
    public let packsWeights: Bool
    /// How the blocks' Linear layers multiply.
    public let precision: TextPrecision
    /// When set, `embed` adds the time of each stage to it (single-threaded callers only).
    public var profile: TextProfile?

    /// Resolves every tensor the tower needs from `weights`, checking shapes; with
    /// `packWeights` (the default) the first `embed` packs the block weights for few-row
    /// products.
    /// `precision` (by default `TextPrecision.current`) bfloat16 rounds and packs them for
    /// `Kernels.linearBF16` instead (needs `Kernels.bf16Supported`; `packWeights` is then
    /// ignored).
    public init(
        config: TextConfig, projectionDim: Int, projection kind: ProjectionKind = .linear,
        weights: WeightSource, names: TensorNames, packWeights: Bool = true,
        precision: TextPrecision = .current
    ) throws(WeightsError) {
        self.precision = precision
        packsWeights = packWeights && precision == .float32
        self.config = config
        outputDimension = projectionDim
        source = weights
        let w = config.hiddenSize, eps = config.layerNormEps, inter = config.intermediateSize
        words = try weights.floats(names.wordEmbeddings, shape: [config.vocabSize, w])
        positions = try weights.floats(names.textPositions, shape: [config.maxPositions, w])
        tokenType0 = try weights.floats(names.tokenTypes, shape: [config.typeVocabSize, w])
        embeddingNorm = try NormWeights(weights, names.embeddingNorm, width: w, eps: eps)
        var blocks: [Block] = []
        for i in 0..<config.layers {
            blocks.append(
                Block(
                    query: try LinearWeights(weights, names.textQuery(i), in: w, out: w),
                    key: try LinearWeights(weights, names.textKey(i), in: w, out: w),
                    value: try LinearWeights(weights, names.textValue(i), in: w, out: w),
                    attentionOut: try LinearWeights(
                        weights, names.textAttentionOut(i), in: w, out: w),
                    attentionNorm: try NormWeights(
                        weights, names.textAttentionNorm(i), width: w, eps: eps),
                    intermediate: try LinearWeights(
                        weights, names.textIntermediate(i), in: w, out: inter),
                    output: try LinearWeights(weights, names.textOutput(i), in: inter, out: w),
                    outputNorm: try NormWeights(
                        weights, names.textOutputNorm(i), width: w, eps: eps)))
        }
        loadedBlocks = blocks
        switch kind {
        case .linear:
            projection = [
                try LinearWeights(
                    weights, weightNamed: names.textProjection, in: w, out: projectionDim)
            ]
            projectionActivation = .identity
        case .mlp(let hidden, let activation):
            projection = [
                try LinearWeights(
                    weights, weightNamed: names.textProjectionMLP(0), in: w, out: hidden),
                try LinearWeights(
                    weights, weightNamed: names.textProjectionMLP(1), in: hidden, out: projectionDim
                ),
            ]
            projectionActivation = activation
        }
    }

    /// The blocks `embed` multiplies with: on first use, packed (or rounded to bfloat16)
    /// block by block, each block's mapped pages dropped once it is copied, so the peak
    /// resident memory grows by one block's weights, not by all of them.
    private func blocksForUse() -> [Block] {
        readyLock.lock()
        defer { readyLock.unlock() }
        if let readyBlocks { return readyBlocks }
        guard precision == .bfloat16 || packsWeights else {
            readyBlocks = loadedBlocks
            return loadedBlocks
        }
        let ready = loadedBlocks.map { block in
            let copied = precision == .bfloat16 ? Self.inBFloat16(block) : Self.packed(block)
            for layer in [
                block.query, block.key, block.value, block.attentionOut, block.intermediate,
                block.output,
            ] {
                source.willNotNeed(layer.weight, count: layer.inFeatures * layer.outFeatures)
            }
            return copied
        }
        readyBlocks = ready
        return ready
    }

    /// `block` with its Linear layers multiplying in bfloat16.
    private static func inBFloat16(_ block: Block) -> Block {
        Block(
            query: block.query.inBFloat16(), key: block.key.inBFloat16(),
            value: block.value.inBFloat16(), attentionOut: block.attentionOut.inBFloat16(),
            attentionNorm: block.attentionNorm, intermediate: block.intermediate.inBFloat16(),
            output: block.output.inBFloat16(), outputNorm: block.outputNorm)
    }

    /// `block` with its Linear weights packed, query, key and value stacked when their
    /// width fills whole panels.
    private static func packed(_ block: Block) -> Block {
        var fused: FusedQKV?
        let w = block.query.outFeatures
        if w % PackedF32Weights.panelWidth == 0 {
            let bias = Tensor(shape: [3 * w])
            for (part, layer) in [block.query, block.key, block.value].enumerated() {
                if let b = layer.bias {
                    (bias.data + part * w).update(from: b, count: w)
                }
            }
            fused = FusedQKV(
                weight: PackedF32Weights(
                    stacking: [block.query.weight, block.key.weight, block.value.weight],
                    outFeaturesEach: w, inFeatures: block.query.inFeatures,
                    threads: Kernels.threads),
                bias: bias)
        }
        var out = Block(
            query: fused == nil ? block.query.packedForFewRows() : block.query,
            key: fused == nil ? block.key.packedForFewRows() : block.key,
            value: fused == nil ? block.value.packedForFewRows() : block.value,
            attentionOut: block.attentionOut.packedForFewRows(),
            attentionNorm: block.attentionNorm,
            intermediate: block.intermediate.packedForFewRows(),
            output: block.output.packedForFewRows(),
            outputNorm: block.outputNorm)
        out.fusedQKV = fused
        return out
    }

    /// Checks token ids and returns the ones the forward pass uses (trailing padding removed).
    public func prepare(_ ids: [Int]) throws(CLIPError) -> [Int] {
        var end = ids.count
        while end > 0 && ids[end - 1] == config.padTokenID { end -= 1 }
        let used = Array(ids[0..<end])
        guard !used.isEmpty else { throw .noTokens }
        guard used.count <= config.maxTokens else {
            throw .tooManyTokens(count: used.count, limit: config.maxTokens)
        }
        if let bad = used.first(where: { $0 < 0 || $0 >= config.vocabSize }) {
            throw .tokenOutOfRange(id: bad, vocabularySize: config.vocabSize)
        }
        return used
    }

    /// Embeds one token sequence (e.g. `[CLS] … [SEP]`, padded or not) and returns an
    /// L2-normalised vector.
    public func embed(ids: [Int]) throws(CLIPError) -> [Float] {
        let tokens = try prepare(ids)
        let c = config
        let n = tokens.count, w = c.hiddenSize
        let mask: [Bool]? = tokens.contains(c.padTokenID) ? tokens.map { $0 != c.padTokenID } : nil
        let hidden = Tensor(shape: [n, w])
        let qkv = Tensor(shape: [n, 3 * w])
        let context = Tensor(shape: [n, w])
        let mid = Tensor(shape: [n, c.intermediateSize])
        let scores = Tensor(shape: [n, n])
        let profile = self.profile
        profile?.start()

        for (i, id) in tokens.enumerated() {
            let row = hidden.row(i)
            let word = words + id * w
            let position = positions + (i + c.positionOffset) * w
            for j in 0..<w { row[j] = word[j] + position[j] + tokenType0[j] }
        }
        embeddingNorm.apply(hidden.data, rows: n, into: hidden.data)
        profile?.lap(0)

        let blocks = blocksForUse()
        for (index, block) in blocks.enumerated() {
            let clsOnly = index == blocks.count - 1 && c.pooling == .cls
            let queries = clsOnly ? 1 : n
            if let fused = block.fusedQKV {
                // One pass over the stacked weights (queries for every row, even when only
                // the first is used: cheaper than a second pass).
                Kernels.linearPacked(
                    input: hidden.data, rows: n, weight: fused.weight, bias: fused.bias.data,
                    output: qkv.data, threads: Kernels.threads)
            } else {
                block.key.apply(hidden.data, rows: n, into: qkv.data + w, ldOutput: 3 * w)
                block.value.apply(hidden.data, rows: n, into: qkv.data + 2 * w, ldOutput: 3 * w)
                block.query.apply(hidden.data, rows: queries, into: qkv.data, ldOutput: 3 * w)
            }
            profile?.lap(1)
            let attend = { (maskPointer: UnsafePointer<Bool>?) in
                Kernels.attention(
                    q: qkv.data, ldq: 3 * w, k: qkv.data + w, ldk: 3 * w, v: qkv.data + 2 * w,
                    ldv: 3 * w,
                    output: context.data, ldo: w, queries: queries, keys: n, heads: c.heads,
                    headDim: c.headDim, keyMask: maskPointer, scores: scores.data)
            }
            if let mask {
                mask.withUnsafeBufferPointer { attend($0.baseAddress) }
            } else {
                attend(nil)
            }
            profile?.lap(2)
            // h = LN(h + W_o·ctx + b_o); h = LN(h + W_2·gelu(W_1·h + b_1) + b_2)
            block.attentionOut.apply(
                context.data, rows: queries, into: hidden.data, accumulate: true, addBias: false)
            block.attentionNorm.apply(
                hidden.data, rows: queries, into: hidden.data, addBias: block.attentionOut.bias)
            profile?.lap(3)
            block.intermediate.apply(
                hidden.data, rows: queries, into: mid.data, activation: c.activation)
            profile?.lap(4)
            block.output.apply(
                mid.data, rows: queries, into: hidden.data, accumulate: true, addBias: false)
            block.outputNorm.apply(
                hidden.data, rows: queries, into: hidden.data, addBias: block.output.bias)
            profile?.lap(5)
        }

        let pooled = Tensor(shape: [1, w])
        switch c.pooling {
        case .cls:
            pooled.data.update(from: hidden.data, count: w)
        case .mean:
            var used = 0
            for i in 0..<n where mask?[i] ?? true {
                let row = hidden.row(i)
                for j in 0..<w { pooled.data[j] += row[j] }
                used += 1
            }
            let inv = 1 / Float(max(used, 1))
            for j in 0..<w { pooled.data[j] *= inv }
        }
        var current = pooled
        for (i, layer) in projection.enumerated() {
            let next = Tensor(shape: [1, layer.outFeatures])
            let act = i < projection.count - 1 ? projectionActivation : .identity
            layer.apply(current.data, rows: 1, into: next.data, activation: act)
            current = next
        }
        Kernels.l2Normalize(current.data, count: outputDimension)
        profile?.lap(6)
        return current.toArray()
    }
}
