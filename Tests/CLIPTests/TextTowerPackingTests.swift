import Testing

@testable import CLIP
@testable import Tensor

@Suite("Packing the text tower's weights keeps its embeddings")
struct TextTowerPackingTests {
    /// A small random text tower, packed or not, from the same seeded weights.
    func tower(
        hidden: Int, pooling: TextPooling, padTokenID: Int, packed: Bool,
        precision: TextPrecision = .float32
    ) throws -> TextTower {
        let config = TextConfig(
            vocabSize: 300, hiddenSize: hidden, intermediateSize: 4 * hidden, layers: 3,
            heads: 4, maxPositions: 100, padTokenID: padTokenID, pooling: pooling)
        return try TextTower(
            config: config, projectionDim: 48, weights: RandomWeights(seed: 3, std: 0.2),
            names: TensorNames(.huggingFaceChineseCLIP), packWeights: packed, precision: precision)
    }

    // 64 fills whole panels (query, key and value stacked), 72 does not (packed one by one).
    @Test(
        "packed and unpacked towers agree within 1e-5 on queries of several lengths",
        arguments: [(64, TextPooling.cls), (72, .mean), (64, .mean)])
    func agree(hidden: Int, pooling: TextPooling) throws {
        let fast = try tower(hidden: hidden, pooling: pooling, padTokenID: 0, packed: true)
        let slow = try tower(hidden: hidden, pooling: pooling, padTokenID: 0, packed: false)
        #expect(fast.packsWeights && !slow.packsWeights)
        for ids in [[101], [101, 7, 102], [101, 5, 0, 9, 11, 13, 17, 19, 23, 29, 31, 37, 102]] {
            let a = try fast.embed(ids: ids), b = try slow.embed(ids: ids)
            let diff = zip(a, b).map { abs($0 - $1) }.max() ?? 1
            #expect(diff <= 1e-5, "\(ids.count) tokens: maxdiff \(diff)")
            #expect(a.count == 48)
        }
    }

    @Test("a query longer than the thin-kernel row limit gives the unpacked result")
    func manyRows() throws {
        let fast = try tower(hidden: 64, pooling: .cls, padTokenID: 0, packed: true)
        let slow = try tower(hidden: 64, pooling: .cls, padTokenID: 0, packed: false)
        let ids = [101] + (1...Kernels.thinLinearMaxRows).map { $0 % 200 + 50 } + [102]
        let a = try fast.embed(ids: ids), b = try slow.embed(ids: ids)
        #expect((zip(a, b).map { abs($0 - $1) }.max() ?? 1) <= 1e-5)
    }

    @Test(
        "a bfloat16 tower stays within cosine 0.9999 of float32",
        .enabled(if: Kernels.bf16Supported, "this CPU lacks AVX512_BF16"))
    func bfloat16() throws {
        let fast = try tower(
            hidden: 64, pooling: .cls, padTokenID: 0, packed: true, precision: .bfloat16)
        let slow = try tower(hidden: 64, pooling: .cls, padTokenID: 0, packed: true)
        #expect(fast.precision == .bfloat16 && !fast.packsWeights)
        for ids in [[101, 7, 102], [101, 5, 9, 11, 13, 17, 19, 23, 29, 31, 37, 102]] {
            let a = try fast.embed(ids: ids), b = try slow.embed(ids: ids)
            let cosine = zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(cosine >= 0.9999 && cosine <= 1.0001, "\(ids.count) tokens: cosine \(cosine)")
            #expect(a != b, "bfloat16 rounding should change the vector a little")
        }
    }
}
