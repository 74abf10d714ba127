import Dispatch
import Foundation
import Testing

@testable import Tensor

@Suite("Panel-packed linear kernel agrees with the naive triple loop")
struct LinearPackedTests {
    /// Runs `linearPacked` and `linearNaive` on the same strided inputs; returns the max
    /// difference, whether the columns past `outF` were left alone, and the result's size.
    func compare(
        rows: Int, inF: Int, outF: Int, level: SIMDLevel, accumulate: Bool, bias: Bool = false,
        activation: Activation = .identity, threads: Int = 1, seed: UInt64
    ) -> (diff: Float, untouched: Bool, magnitude: Float) {
        var rng = TestRandom(seed: seed)
        let ldi = inF + 3, ldo = outF + 2
        let x = rng.array(rows * ldi), w = rng.array(outF * inF, scale: 0.5)
        let b = rng.array(outF)
        let start = rng.array(rows * ldo)
        var fast = start, slow = start
        let packed = PackedF32Weights(
            weight: w, outFeatures: outF, inFeatures: inF, threads: threads)
        b.withUnsafeBufferPointer { bp in
            Kernels.linearPacked(
                input: x, rows: rows, ldInput: ldi, weight: packed,
                bias: bias ? bp.baseAddress : nil, output: &fast, ldOutput: ldo,
                activation: activation, accumulate: accumulate, level: level, threads: threads)
            Kernels.linearNaive(
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
        return (maxAbsDiff(fast, slow), untouched, magnitude)
    }

    // Levels this CPU lacks are not run (the test case list shows which ran).
    @Test(
        "every supported SIMD level matches on odd sizes, strides and both write modes",
        arguments: SIMDLevel.allCases.filter(\.isSupported))
    func oddSizes(level: SIMDLevel) {
        var seed: UInt64 = 500
        for rows in [1, 2, 5, 6, 7, 10, 12, 13, 25] {
            for inF in [1, 7, 16, 33] {
                for outF in [1, 15, 16, 17, 31, 32, 33, 70] {
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

    @Test("threads, bias and GELU give the naive result at BERT-like sizes")
    func threaded() {
        for (rows, inF, outF) in [(10, 768, 3072), (3, 3072, 770), (1, 768, 512), (12, 100, 96)] {
            let r = compare(
                rows: rows, inF: inF, outF: outF, level: .best, accumulate: false, bias: true,
                activation: .gelu, threads: 3, seed: UInt64(rows * outF))
            #expect(
                r.diff <= 1e-4 * max(1, r.magnitude),
                "rows \(rows) \(inF)->\(outF): maxdiff \(r.diff)")
            #expect(r.untouched)
            #expect(r.magnitude > 1)
        }
    }

    @Test("stacked matrices pack as the one matrix they form")
    func stacked() throws {
        var rng = TestRandom(seed: 9)
        let inF = 40, each = 64
        let whole = rng.array(3 * each * inF)
        let x = rng.array(5 * inF)
        var fast = [Float](repeating: 0, count: 5 * 3 * each), slow = fast
        let packed = try whole.withUnsafeBufferPointer { p in
            let base = try #require(p.baseAddress)
            return PackedF32Weights(
                stacking: [base, base + each * inF, base + 2 * each * inF],
                outFeaturesEach: each, inFeatures: inF, threads: 2)
        }
        #expect(packed.outFeatures == 3 * each)
        Kernels.linearPacked(input: x, rows: 5, weight: packed, bias: nil, output: &fast)
        Kernels.linearNaive(
            input: x, rows: 5, inFeatures: inF, weight: whole, bias: nil, outFeatures: 3 * each,
            output: &slow)
        #expect(maxAbsDiff(fast, slow) <= 1e-4)
        #expect((slow.map { abs($0) }.max() ?? 0) > 1)
    }

    @Test("products from several threads at once share the worker pool and stay exact")
    func concurrentCallers() {
        var rng = TestRandom(seed: 77)
        let rows = 10, inF = 256, outF = 640
        let x = rng.array(rows * inF), w = rng.array(outF * inF, scale: 0.5)
        var want = [Float](repeating: 0, count: rows * outF)
        Kernels.linearNaive(
            input: x, rows: rows, inFeatures: inF, weight: w, bias: nil, outFeatures: outF,
            output: &want)
        let packed = PackedF32Weights(weight: w, outFeatures: outF, inFeatures: inF)
        let results = Results(count: 8)
        DispatchQueue.concurrentPerform(iterations: 8) { caller in
            var got = [Float](repeating: 0, count: rows * outF)
            for _ in 0..<20 {
                Kernels.linearPacked(
                    input: x, rows: rows, weight: packed, bias: nil, output: &got,
                    threads: 1 + caller % 4)
            }
            results.set(caller, maxAbsDiff(got, want))
        }
        for (caller, diff) in results.values.enumerated() {
            #expect(diff <= 1e-4, "caller \(caller): maxdiff \(diff)")
        }
    }
}

/// Per-caller results written from several threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Float]
    init(count: Int) { stored = [Float](repeating: .infinity, count: count) }
    func set(_ index: Int, _ value: Float) {
        lock.lock()
        stored[index] = value
        lock.unlock()
    }
    var values: [Float] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
