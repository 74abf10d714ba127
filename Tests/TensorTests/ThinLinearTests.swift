import Testing

@testable import Tensor

@Suite("Thin linear kernel agrees with the naive triple loop")
struct ThinLinearTests {
    /// Runs `thinLinear` and `linearNaive` on the same strided inputs and returns the max difference.
    func compare(
        rows: Int, inF: Int, outF: Int, level: SIMDLevel, accumulate: Bool, threads: Int = 1,
        seed: UInt64
    ) -> (diff: Float, untouched: Bool, magnitude: Float) {
        var rng = TestRandom(seed: seed)
        let ldi = inF + 3, ldo = outF + 2
        let x = rng.array(rows * ldi), w = rng.array(outF * inF, scale: 0.5)
        let start = rng.array(rows * ldo)
        var fast = start, slow = start
        Kernels.thinLinear(
            input: x, rows: rows, inFeatures: inF, ldInput: ldi, weight: w,
            outFeatures: outF, output: &fast, ldOutput: ldo,
            accumulate: accumulate, level: level, threads: threads)
        Kernels.linearNaive(
            input: x, rows: rows, inFeatures: inF, ldInput: ldi, weight: w, bias: nil,
            outFeatures: outF, output: &slow, ldOutput: ldo, accumulate: accumulate)
        var untouched = true
        for r in 0..<rows
        where fast[r * ldo + outF..<r * ldo + ldo] != start[r * ldo + outF..<r * ldo + ldo] {
            untouched = false
        }
        let magnitude = slow.map { abs($0) }.max() ?? 0
        return (maxAbsDiff(fast, slow), untouched, magnitude)
    }

    // Levels this CPU lacks are not run (the test case list shows which ran).
    @Test(
        "every supported SIMD level matches on odd sizes, strides and both write modes",
        arguments: SIMDLevel.allCases.filter(\.isSupported))
    func oddSizes(level: SIMDLevel) {
        var seed: UInt64 = 100
        for rows in [1, 2, 3, 4, 5, 7, 10, 16, 17, 52, 77] {
            for inF in [1, 7, 8, 9, 17, 33, 100] {
                for outF in [1, 3, 4, 5, 13] {
                    for accumulate in [false, true] {
                        seed += 1
                        let r = compare(
                            rows: rows, inF: inF, outF: outF, level: level,
                            accumulate: accumulate, seed: seed)
                        #expect(
                            r.diff <= 1e-4, "rows \(rows) in \(inF) out \(outF): maxdiff \(r.diff)")
                        #expect(
                            r.untouched,
                            "wrote past outFeatures at rows \(rows) in \(inF) out \(outF)")
                    }
                }
            }
        }
    }

    @Test("splitting output columns over threads gives the same result at BERT-like sizes")
    func threaded() {
        for (rows, inF, outF) in [(10, 768, 3072), (3, 3072, 770), (1, 768, 512), (77, 256, 300)] {
            let r = compare(
                rows: rows, inF: inF, outF: outF, level: .best, accumulate: true,
                threads: 3, seed: UInt64(rows * outF))
            #expect(
                r.diff <= 1e-3 * max(1, r.magnitude),
                "rows \(rows) \(inF)->\(outF): maxdiff \(r.diff)")
            #expect(r.untouched)
            #expect(r.magnitude > 1)
        }
    }

    @Test("the best level is supported and at least as wide as the scalar one")
    func bestLevel() {
        #expect(SIMDLevel.best.isSupported)
        #expect(SIMDLevel.scalar.isSupported)
    }
}
