import Foundation
import Testing

@testable import Tensor

/// Deterministic pseudo-random floats for kernel tests (SplitMix64).
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 24) * 2 - 1
    }
    mutating func array(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in next() * scale }
    }
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

@Suite("Kernels agree with their naive twins")
struct KernelTwinTests {
    @Test(
        "linear with bias and each activation matches the triple loop within 1e-4",
        arguments: [Activation.identity, .quickGELU, .gelu])
    func linear(activation: Activation) {
        var rng = TestRandom(seed: 1)
        let rows = 7, inF = 33, outF = 19
        let x = rng.array(rows * inF), w = rng.array(outF * inF, scale: 0.5), b = rng.array(outF)
        var fast = [Float](repeating: 0, count: rows * outF)
        var slow = fast
        Kernels.linear(
            input: x, rows: rows, inFeatures: inF, weight: w, bias: b,
            outFeatures: outF, output: &fast, activation: activation)
        Kernels.linearNaive(
            input: x, rows: rows, inFeatures: inF, weight: w, bias: b,
            outFeatures: outF, output: &slow, activation: activation)
        let d = maxAbsDiff(fast, slow)
        #expect(d <= 1e-4, "maxdiff \(d)")
        #expect(slow.contains { abs($0) > 0.5 })
    }

    @Test(
        "a single-row linear (matrix-vector path) matches the triple loop, with and without bias",
        arguments: [true, false])
    func linearSingleRow(withBias: Bool) {
        var rng = TestRandom(seed: 9)
        let inF = 40, outF = 24
        let x = rng.array(inF), w = rng.array(outF * inF), b = rng.array(outF)
        let start = rng.array(outF)
        for accumulate in [false, true] {
            var fast = start, slow = start
            let act: Activation = accumulate ? .identity : .gelu
            Kernels.linear(
                input: x, rows: 1, inFeatures: inF, weight: w, bias: withBias ? b : nil,
                outFeatures: outF, output: &fast, activation: act, accumulate: accumulate)
            Kernels.linearNaive(
                input: x, rows: 1, inFeatures: inF, weight: w, bias: withBias ? b : nil,
                outFeatures: outF, output: &slow, activation: act, accumulate: accumulate)
            #expect(maxAbsDiff(fast, slow) <= 1e-4, "maxdiff \(maxAbsDiff(fast, slow))")
        }
    }

    @Test("linear accumulating into a strided output adds the residual (1e-4)")
    func linearAccumulateStrided() {
        var rng = TestRandom(seed: 2)
        let rows = 5, inF = 16, outF = 8, ld = 24
        let x = rng.array(rows * inF), w = rng.array(outF * inF), b = rng.array(outF)
        let start = rng.array(rows * ld)
        var fast = start, slow = start
        Kernels.linear(
            input: x, rows: rows, inFeatures: inF, weight: w, bias: b, outFeatures: outF,
            output: &fast, ldOutput: ld, accumulate: true)
        Kernels.linearNaive(
            input: x, rows: rows, inFeatures: inF, weight: w, bias: b, outFeatures: outF,
            output: &slow, ldOutput: ld, accumulate: true)
        #expect(maxAbsDiff(fast, slow) <= 1e-4, "maxdiff \(maxAbsDiff(fast, slow))")
        // Columns beyond outF are untouched.
        #expect(fast[outF..<ld] == start[outF..<ld])
    }

    @Test("fastExp is within 2e-7 relative of expf over [-87, 88]")
    func fastExp() {
        var worst: Float = 0
        var x: Float = -87
        while x < 88 {
            let r = abs(Kernels.fastExp(x) - expf(x)) / expf(x)
            worst = max(worst, r)
            x += 0.01237
        }
        #expect(worst < 2e-7, "worst relative error \(worst)")
        #expect(Kernels.fastExp(-200) < 1e-37)
    }

    @Test("fastErf is within 1e-6 absolute of erff over [-6, 6]")
    func fastErf() {
        var worst: Float = 0
        var x: Float = -6
        while x < 6 {
            worst = max(worst, abs(Kernels.fastErf(x) - erff(x)))
            x += 0.001
        }
        #expect(worst < 1e-6, "worst absolute error \(worst)")
    }

    @Test("layerNorm with a fused bias matches the double-precision twin within 1e-5")
    func layerNorm() {
        var rng = TestRandom(seed: 3)
        let rows = 6, cols = 77
        let x = rng.array(rows * cols, scale: 3).map { $0 + 5 }
        let g = rng.array(cols), b = rng.array(cols), bias = rng.array(cols)
        var inFast = x, inSlow = x
        var fast = [Float](repeating: 0, count: rows * cols), slow = fast
        Kernels.layerNorm(
            input: &inFast, rows: rows, cols: cols, gamma: g, beta: b, eps: 1e-12,
            output: &fast, addBias: bias)
        Kernels.layerNormNaive(
            input: &inSlow, rows: rows, cols: cols, gamma: g, beta: b, eps: 1e-12,
            output: &slow, addBias: bias)
        #expect(maxAbsDiff(fast, slow) <= 1e-5, "maxdiff \(maxAbsDiff(fast, slow))")
        #expect(maxAbsDiff(inFast, inSlow) <= 1e-6)
    }

    @Test("softmax rows match the libm twin within 1e-6 and sum to 1")
    func softmax() {
        var rng = TestRandom(seed: 4)
        let rows = 9, cols = 197
        let x = rng.array(rows * cols, scale: 12)
        var fast = x, slow = x
        Kernels.softmaxRows(&fast, rows: rows, cols: cols)
        Kernels.softmaxRowsNaive(&slow, rows: rows, cols: cols)
        #expect(maxAbsDiff(fast, slow) <= 1e-6, "maxdiff \(maxAbsDiff(fast, slow))")
        let s = fast[0..<cols].reduce(0, +)
        #expect(abs(s - 1) < 1e-5)
    }

    @Test("attention with a key mask matches the naive twin within 1e-5", arguments: [false, true])
    func attention(masked: Bool) throws {
        var rng = TestRandom(seed: 5)
        let n = 13, heads = 3, dh = 8, w = heads * dh, ld = 3 * w
        let qkv = rng.array(n * ld, scale: 2)
        let mask: [Bool] = (0..<n).map { !masked || $0 % 4 != 3 }
        var fast = [Float](repeating: 0, count: n * w), slow = fast
        var scores = [Float](repeating: 0, count: n * n)
        try qkv.withUnsafeBufferPointer { p in
            let base = try #require(p.baseAddress)
            Kernels.attention(
                q: base, ldq: ld, k: base + w, ldk: ld, v: base + 2 * w, ldv: ld,
                output: &fast, ldo: w, queries: n, keys: n, heads: heads, headDim: dh,
                keyMask: mask, scores: &scores)
            Kernels.attentionNaive(
                q: base, ldq: ld, k: base + w, ldk: ld, v: base + 2 * w, ldv: ld,
                output: &slow, ldo: w, queries: n, keys: n, heads: heads,
                headDim: dh, keyMask: mask)
        }
        #expect(maxAbsDiff(fast, slow) <= 1e-5, "maxdiff \(maxAbsDiff(fast, slow))")
    }

    @Test("masked keys do not influence the output")
    func maskedKeysIgnored() {
        var rng = TestRandom(seed: 6)
        let n = 6, w = 8, ld = 3 * w
        var qkv = rng.array(n * ld)
        let mask = [true, true, true, true, false, false]
        var a = [Float](repeating: 0, count: n * w), b = a
        var scores = [Float](repeating: 0, count: n * n)
        Kernels.attention(
            q: qkv, ldq: ld, k: Array(qkv[w...]), ldk: ld, v: Array(qkv[(2 * w)...]),
            ldv: ld, output: &a, ldo: w, queries: n, keys: n, heads: 2, headDim: 4,
            keyMask: mask, scores: &scores)
        for j in 4..<6 { for c in w..<(3 * w) { qkv[j * ld + c] = 100 } }
        Kernels.attention(
            q: qkv, ldq: ld, k: Array(qkv[w...]), ldk: ld, v: Array(qkv[(2 * w)...]),
            ldv: ld, output: &b, ldo: w, queries: n, keys: n, heads: 2, headDim: 4,
            keyMask: mask, scores: &scores)
        #expect(maxAbsDiff(Array(a[0..<(4 * w)]), Array(b[0..<(4 * w)])) <= 1e-6)
    }

    @Test("patch embedding by im2col + GEMM equals the direct convolution within 1e-4")
    func patchEmbedding() {
        var rng = TestRandom(seed: 7)
        let c = 3, size = 30, patch = 7, width = 10 // 30 is not a multiple of 7: edge dropped
        let grid = size / patch
        let image = rng.array(c * size * size), weight = rng.array(width * c * patch * patch)
        var fast = [Float](repeating: 0, count: grid * grid * width), slow = fast
        var columns = [Float](repeating: 0, count: grid * grid * c * patch * patch)
        Kernels.patchEmbedding(
            image: image, channels: c, size: size, patch: patch, weight: weight,
            width: width, output: &fast, columns: &columns)
        Kernels.patchEmbeddingNaive(
            image: image, channels: c, size: size, patch: patch,
            weight: weight, width: width, output: &slow)
        #expect(maxAbsDiff(fast, slow) <= 1e-4, "maxdiff \(maxAbsDiff(fast, slow))")
    }

    @Test("l2Normalize gives unit length and matches its twin within 1e-7")
    func l2() {
        var rng = TestRandom(seed: 8)
        let x = rng.array(37, scale: 4)
        var fast = x, slow = x
        Kernels.l2Normalize(&fast, count: 37)
        Kernels.l2NormalizeNaive(&slow, count: 37)
        #expect(maxAbsDiff(fast, slow) <= 1e-7)
        #expect(abs(fast.map { $0 * $0 }.reduce(0, +) - 1) < 1e-5)
        var zero = [Float](repeating: 0, count: 4)
        Kernels.l2Normalize(&zero, count: 4)
        #expect(zero == [0, 0, 0, 0])
    }

    @Test("Tensor owns zeroed aligned storage of the shape's size")
    func tensorStorage() {
        let t = Tensor(shape: [3, 5])
        #expect(t.count == 15)
        #expect(Int(bitPattern: t.data) % 64 == 0)
        #expect(t.toArray() == [Float](repeating: 0, count: 15))
        t.row(2)[1] = 4
        #expect(t.toArray()[11] == 4)
    }
}

@Suite("attention heads on several threads")
struct ParallelAttentionTests {
    @Test(
        "heads split over threads match the naive twin; they split only with a single-threaded OpenBLAS"
    )
    func parallelHeads() {
        #expect(Kernels.attentionParts(threads: 3, heads: 5, blasThreads: 1) == 3)
        #expect(Kernels.attentionParts(threads: 8, heads: 5, blasThreads: 1) == 5)
        #expect(Kernels.attentionParts(threads: 3, heads: 5, blasThreads: 2) == 1)
        var rng = TestRandom(seed: 11)
        let n = 29, heads = 5, dh = 12, w = heads * dh, ld = 3 * w
        let qkv = rng.array(n * ld, scale: 2)
        let mask: [Bool] = (0..<n).map { $0 % 7 != 6 }
        var fast = [Float](repeating: 0, count: n * w), slow = fast
        var scores = [Float](repeating: 0, count: 3 * n * n)
        qkv.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            Kernels.attention(
                q: base, ldq: ld, k: base + w, ldk: ld, v: base + 2 * w, ldv: ld,
                output: &fast, ldo: w, queries: n, keys: n, heads: heads, headDim: dh,
                keyMask: mask, scores: &scores, threads: 3)
            Kernels.attentionNaive(
                q: base, ldq: ld, k: base + w, ldk: ld, v: base + 2 * w, ldv: ld,
                output: &slow, ldo: w, queries: n, keys: n, heads: heads,
                headDim: dh, keyMask: mask)
        }
        #expect(maxAbsDiff(fast, slow) <= 1e-5, "maxdiff \(maxAbsDiff(fast, slow))")
        #expect(slow.contains { $0 != 0 })
    }
}
