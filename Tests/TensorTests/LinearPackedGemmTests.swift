import Testing

@testable import Tensor

@Suite("Many-row float32 GEMM agrees with its naive twin")
struct LinearPackedGemmTests {
    /// Runs `linearPackedGemm` and its naive twin on the same strided inputs; returns the max
    /// difference relative to the result's size, whether the columns past `outF` were left
    /// alone, and the result's size.
    func compare(
        rows: Int, inF: Int, outF: Int, accumulate: Bool, bias: Bool,
        activation: Activation = .identity, threads: Int = 1, seed: UInt64
    ) -> (diff: Float, untouched: Bool, magnitude: Float) {
        var rng = TestRandom(seed: seed)
        let ldi = inF + 3, ldo = outF + 2
        let x = rng.array(rows * ldi), w = rng.array(outF * inF, scale: 0.5)
        let b = rng.array(outF)
        let start = rng.array(rows * ldo)
        var fast = start, slow = start
        let packed = PackedF32Weights(weight: w, outFeatures: outF, inFeatures: inF)
        b.withUnsafeBufferPointer { bp in
            Kernels.linearPackedGemm(
                input: x, rows: rows, ldInput: ldi, weight: packed,
                bias: bias ? bp.baseAddress : nil, output: &fast, ldOutput: ldo,
                activation: activation, accumulate: accumulate, threads: threads)
            Kernels.linearPackedGemmNaive(
                input: x, rows: rows, inFeatures: inF, ldInput: ldi, weight: w,
                bias: bias ? bp.baseAddress : nil, outFeatures: outF, output: &slow,
                ldOutput: ldo, activation: activation, accumulate: accumulate)
        }
        var untouched = true
        for r in 0..<rows
        where fast[r * ldo + outF..<r * ldo + ldo] != start[r * ldo + outF..<r * ldo + ldo] {
            untouched = false
        }
        let magnitude = slow.map { abs($0) }.max() ?? 0
        return (maxAbsDiff(fast, slow) / max(1, magnitude), untouched, magnitude)
    }

    @Test(
        "odd sizes, edge tiles and inner dimensions off the vector width match, in every mode",
        .enabled(if: Kernels.f32GemmSupported, "this CPU has no AVX-512F"),
        arguments: [1, 2])
    func oddSizes(threads: Int) {
        var seed: UInt64 = 900
        // Rows: one tile short, whole tiles, a block and one more (96 rows per block).
        for rows in [1, 5, 11, 12, 13, 25, 97] {
            for inF in [1, 7, 17, 33] {
                for outF in [1, 15, 17, 32, 33, 70] {
                    for (accumulate, bias, activation) in [
                        (false, false, Activation.identity), (true, true, .identity),
                        (false, true, .quickGELU), (false, true, .gelu),
                    ] {
                        seed += 1
                        let r = compare(
                            rows: rows, inF: inF, outF: outF, accumulate: accumulate, bias: bias,
                            activation: activation, threads: threads, seed: seed)
                        let shape = "rows \(rows) in \(inF) out \(outF) \(activation)"
                        #expect(r.diff <= 1e-5, "\(shape): maxdiff \(r.diff)")
                        #expect(r.untouched, "wrote past outFeatures at \(shape)")
                    }
                }
            }
        }
    }

    @Test(
        "ViT-like shapes, an inner dimension cut into slices, and 2 threads give the naive result",
        .enabled(if: Kernels.f32GemmSupported, "this CPU has no AVX-512F"))
    func largeShapes() {
        // 3100 inputs: more than CSIMD_F32_BLOCK_K, so the sums run in two slices.
        for (rows, inF, outF, accumulate, activation) in [
            (197, 768, 100, false, Activation.quickGELU), (50, 3072, 64, true, .identity),
            (13, 3100, 40, false, .gelu), (13, 3100, 40, true, .identity),
        ] {
            for threads in [1, 2] {
                let r = compare(
                    rows: rows, inF: inF, outF: outF, accumulate: accumulate, bias: true,
                    activation: activation, threads: threads, seed: UInt64(rows * inF + threads))
                #expect(r.diff <= 1e-5, "rows \(rows) \(inF)->\(outF): maxdiff \(r.diff)")
                #expect(r.untouched)
                #expect(r.magnitude > 1)
            }
        }
    }

    @Test(
        "the result does not depend on the thread count",
        .enabled(if: Kernels.f32GemmSupported, "this CPU has no AVX-512F"))
    func threadsAgree() {
        var rng = TestRandom(seed: 31)
        let rows = 100, inF = 96, outF = 200
        let x = rng.array(rows * inF), w = rng.array(outF * inF), b = rng.array(outF)
        let packed = PackedF32Weights(weight: w, outFeatures: outF, inFeatures: inF)
        var one = [Float](repeating: 0, count: rows * outF), two = one
        Kernels.linearPackedGemm(
            input: x, rows: rows, weight: packed, bias: b, output: &one, activation: .gelu)
        Kernels.linearPackedGemm(
            input: x, rows: rows, weight: packed, bias: b, output: &two, activation: .gelu,
            threads: 2)
        #expect(one == two)
        #expect((one.map { abs($0) }.max() ?? 0) > 1)
    }
}

@Suite("Fused float32 attention agrees with its naive twin")
struct FusedAttentionTests {
    /// Fused and naive attention on one fused q|k|v buffer (row stride 3 * heads * headDim,
    /// output stride one wider than the heads); returns the max difference and whether the
    /// output is non-trivial and the spare output column untouched.
    func compare(queries: Int, keys: Int, heads: Int, headDim: Int, threads: Int, seed: UInt64)
        -> (diff: Float, nonTrivial: Bool, untouched: Bool)
    {
        var rng = TestRandom(seed: seed)
        let w = heads * headDim, ld = 3 * w, ldo = w + 1
        let rows = max(queries, keys)
        let qkv = rng.array(rows * ld, scale: 2)
        var fast = [Float](repeating: 7, count: queries * ldo), slow = fast
        var scores = [Float](repeating: 0, count: threads * queries * keys)
        qkv.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            Kernels.attention(
                q: base, ldq: ld, k: base + w, ldk: ld, v: base + 2 * w, ldv: ld,
                output: &fast, ldo: ldo, queries: queries, keys: keys, heads: heads,
                headDim: headDim, scores: &scores, threads: threads, fused: true)
            Kernels.attentionNaive(
                q: base, ldq: ld, k: base + w, ldk: ld, v: base + 2 * w, ldv: ld,
                output: &slow, ldo: ldo, queries: queries, keys: keys, heads: heads,
                headDim: headDim)
        }
        let untouched = (0..<queries).allSatisfy { fast[$0 * ldo + w] == 7 }
        return (maxAbsDiff(fast, slow), slow.contains { $0 != 0 && $0 != 7 }, untouched)
    }

    @Test(
        "odd query, key and head sizes, more query rows than one block, 1 and 2 threads",
        .enabled(if: Kernels.f32GemmSupported, "this CPU has no AVX-512F"))
    func oddSizes() {
        var seed: UInt64 = 40
        for (queries, keys) in [(1, 1), (1, 50), (5, 17), (50, 50), (60, 33), (197, 197)] {
            for (heads, headDim) in [(1, 8), (3, 33), (2, 64)] {
                for threads in [1, 2] {
                    seed += 1
                    let r = compare(
                        queries: queries, keys: keys, heads: heads, headDim: headDim,
                        threads: threads, seed: seed)
                    let shape = "\(queries)x\(keys) heads \(heads)x\(headDim) threads \(threads)"
                    #expect(r.diff <= 2e-5, "\(shape): maxdiff \(r.diff)")
                    #expect(r.nonTrivial && r.untouched, "\(shape)")
                }
            }
        }
    }
}
