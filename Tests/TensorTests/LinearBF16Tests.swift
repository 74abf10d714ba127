import Testing

@testable import Tensor

@Suite("bfloat16 linear kernel agrees with its naive twin")
struct LinearBF16Tests {
    @Test("rounding to bfloat16 is to nearest, ties to even, and keeps NaN and infinity")
    func rounding() {
        #expect(Kernels.bf16Round(1) == 0x3F80)
        #expect(Kernels.bf16Round(-2) == 0xC000)
        // Exactly halfway: ties go to the even neighbour.
        #expect(Kernels.bf16Round(Float(bitPattern: 0x3F80_8000)) == 0x3F80)
        #expect(Kernels.bf16Round(Float(bitPattern: 0x3F81_8000)) == 0x3F82)
        #expect(Kernels.bf16Round(Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(Kernels.bf16Round(.infinity) == 0x7F80)
        #expect(Kernels.bf16Round(.greatestFiniteMagnitude) == 0x7F80)
        let nan = Kernels.bf16Round(.nan)
        #expect(Float(bitPattern: UInt32(nan) << 16).isNaN)
    }

    @Test("weights pack into panels of output pairs, padded with zeros")
    func packing() {
        // 35 outputs (two panels, the second short) by 5 inputs (odd: one padded pair).
        let n = 35, k = 5
        let w = (0..<n * k).map { Float($0) }
        let packed = PackedBF16Weights(weight: w, outFeatures: n, inFeatures: k)
        let panel = 32, pairs = 3
        #expect(packed.byteCount == 2 * panel * pairs * 2 * 2)
        func at(_ p: Int, _ q: Int, _ l: Int, _ h: Int) -> Float {
            Float(bitPattern: UInt32(packed.storage[((p * pairs + q) * panel + l) * 2 + h]) << 16)
        }
        #expect(at(0, 0, 0, 0) == w[0] && at(0, 0, 0, 1) == w[1])
        #expect(at(0, 1, 3, 0) == w[3 * k + 2] && at(0, 1, 3, 1) == w[3 * k + 3])
        #expect(at(0, 2, 31, 0) == w[31 * k + 4] && at(0, 2, 31, 1) == 0)
        #expect(at(1, 0, 2, 1) == w[34 * k + 1])
        #expect(at(1, 1, 3, 0) == 0 && at(1, 2, 31, 1) == 0)
    }

    /// Runs `linearBF16` and its twin on strided inputs; returns the max difference,
    /// whether the padding columns stayed untouched, and the output magnitude.
    func compare(
        rows: Int, inF: Int, outF: Int, accumulate: Bool, activation: Activation = .identity,
        threads: Int = 1, seed: UInt64
    ) -> (diff: Float, untouched: Bool, magnitude: Float) {
        var rng = TestRandom(seed: seed)
        let ldi = inF + 3, ldo = outF + 2
        let x = rng.array(rows * ldi), w = rng.array(outF * inF, scale: 0.5), bias = rng.array(outF)
        let start = rng.array(rows * ldo)
        var fast = start, slow = start
        let packed = PackedBF16Weights(weight: w, outFeatures: outF, inFeatures: inF)
        Kernels.linearBF16(
            input: x, rows: rows, ldInput: ldi, weight: packed, bias: bias, output: &fast,
            ldOutput: ldo,
            activation: activation, accumulate: accumulate, threads: threads)
        Kernels.linearBF16Naive(
            input: x, rows: rows, inFeatures: inF, ldInput: ldi, weight: w, bias: bias,
            outFeatures: outF,
            output: &slow, ldOutput: ldo, activation: activation, accumulate: accumulate)
        var untouched = true
        for r in 0..<rows
        where fast[r * ldo + outF..<r * ldo + ldo] != start[r * ldo + outF..<r * ldo + ldo] {
            untouched = false
        }
        return (maxAbsDiff(fast, slow), untouched, slow.map { abs($0) }.max() ?? 0)
    }

    @Test(
        "odd row counts, widths across panels and pair blocks, both write modes",
        .enabled(if: Kernels.bf16Supported, "this CPU has no AVX512_BF16"))
    func oddSizes() {
        var seed: UInt64 = 500
        for rows in [1, 5, 12, 13, 25, 97, 100] {
            for (inF, outF) in [(1, 1), (3, 31), (16, 32), (17, 33), (530, 65), (64, 100)] {
                for accumulate in [false, true] {
                    seed += 1
                    let r = compare(
                        rows: rows, inF: inF, outF: outF, accumulate: accumulate, seed: seed)
                    #expect(
                        r.diff <= 2e-5 * max(1, r.magnitude) * Float(inF).squareRoot(),
                        "rows \(rows) in \(inF) out \(outF): maxdiff \(r.diff)")
                    #expect(
                        r.untouched, "wrote past outFeatures at rows \(rows) in \(inF) out \(outF)")
                }
            }
        }
    }

    @Test(
        "threads split whole panels; bias and GELU match at ViT-like sizes",
        .enabled(if: Kernels.bf16Supported, "this CPU has no AVX512_BF16"))
    func threadedWithActivation() {
        for (rows, inF, outF) in [(197, 768, 3072), (50, 3072, 770)] {
            let r = compare(
                rows: rows, inF: inF, outF: outF, accumulate: false, activation: .quickGELU,
                threads: 3, seed: UInt64(rows * outF))
            #expect(
                r.diff <= 1e-4 * max(1, r.magnitude),
                "rows \(rows) \(inF)->\(outF): maxdiff \(r.diff)")
            #expect(r.untouched)
            #expect(r.magnitude > 1)
        }
    }

    @Test(
        "patch embedding with packed weights equals the convolution of the rounded image and weights",
        .enabled(if: Kernels.bf16Supported, "this CPU has no AVX512_BF16"))
    func patchEmbedding() {
        var rng = TestRandom(seed: 21)
        let c = 3, size = 30, patch = 7, width = 40 // 30 is not a multiple of 7: edge dropped
        let grid = size / patch, length = c * patch * patch
        let image = rng.array(c * size * size), weight = rng.array(width * length)
        func rounded(_ v: [Float]) -> [Float] {
            v.map { Float(bitPattern: UInt32(Kernels.bf16Round($0)) << 16) }
        }
        var fast = [Float](repeating: 0, count: grid * grid * width), slow = fast
        var columns = [Float](repeating: 0, count: grid * grid * length)
        Kernels.patchColumns(
            image: image, channels: c, size: size, patch: patch, columns: &columns)
        Kernels.linearBF16(
            input: columns, rows: grid * grid,
            weight: PackedBF16Weights(weight: weight, outFeatures: width, inFeatures: length),
            bias: nil, output: &fast, threads: 2)
        Kernels.patchEmbeddingNaive(
            image: rounded(image), channels: c, size: size, patch: patch,
            weight: rounded(weight), width: width, output: &slow)
        #expect(maxAbsDiff(fast, slow) <= 1e-4, "maxdiff \(maxAbsDiff(fast, slow))")
        #expect(slow.contains { abs($0) > 1 })
    }

    @Test(
        "the bfloat16 product stays near the float32 one",
        .enabled(if: Kernels.bf16Supported, "this CPU has no AVX512_BF16"))
    func nearFloat32() {
        var rng = TestRandom(seed: 9)
        let rows = 40, inF = 768, outF = 96
        let x = rng.array(rows * inF), w = rng.array(outF * inF, scale: 0.1)
        var exact = [Float](repeating: 0, count: rows * outF), half = exact
        Kernels.linearNaive(
            input: x, rows: rows, inFeatures: inF, weight: w, bias: nil,
            outFeatures: outF, output: &exact)
        Kernels.linearBF16(
            input: x, rows: rows,
            weight: PackedBF16Weights(weight: w, outFeatures: outF, inFeatures: inF),
            bias: nil, output: &half)
        let scale = exact.map { abs($0) }.max() ?? 0
        // Two roundings of 2^-9 relative each, over 768 random-sign terms.
        #expect(maxAbsDiff(exact, half) <= 0.02 * scale)
        #expect(maxAbsDiff(exact, half) > 0)
    }
}
