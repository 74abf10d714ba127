import Testing

@testable import Tensor

private func randomValues(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed &* 2_862_933_555_777_941_757 &+ 3_037_000_493
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: state >> 11) % 20001 - 10000) / 10000
    }
}

/// The naive twin: one dot product per row, accumulated in Double.
private func naiveScores(_ m: [Float], rows: Int, dim: Int, _ q: [Float]) -> [Double] {
    (0..<rows).map { r in
        var s = 0.0
        for j in 0..<dim { s += Double(m[r * dim + j]) * Double(q[j]) }
        return s
    }
}

/// The upper half of a float32, truncated (any bf16 pattern is valid input).
private func bf16Bits(_ values: [Float]) -> [UInt16] {
    values.map { UInt16(truncatingIfNeeded: $0.bitPattern >> 16) }
}

private func bf16Floats(_ bits: [UInt16]) -> [Float] {
    bits.map { Float(bitPattern: UInt32($0) << 16) }
}

private let shapes = [(1001, 17), (3, 1), (0, 5), (5, 0), (7, 512), (13, 33), (4, 31), (6, 64)]

@Suite("C score kernels (CSIMD)")
struct VectorKernelsTests {
    @Test(
        "every supported level's float32 kernel matches the naive twin on odd shapes",
        arguments: shapes)
    func float32(rows: Int, dim: Int) {
        let m = randomValues(rows * dim, seed: UInt64(rows * 100 + dim))
        let q = randomValues(dim, seed: 7)
        let want = naiveScores(m, rows: rows, dim: dim, q)
        for level in VectorKernels.supportedLevels {
            var out = [Float](repeating: .nan, count: rows + 1)
            VectorKernels.scores(
                matrix: m, rows: rows, dimension: dim, query: q, out: &out, level: level)
            for i in 0..<rows {
                #expect(
                    abs(Double(out[i]) - want[i]) <= 1e-5 * Double(max(dim, 1)),
                    "\(level) row \(i): \(out[i]) vs \(want[i])")
            }
            #expect(out[rows].isNaN, "\(level) wrote past the last row")
        }
    }

    @Test(
        "every supported level's bf16 kernel matches the naive twin on odd shapes",
        arguments: shapes)
    func bf16(rows: Int, dim: Int) {
        let bits = bf16Bits(randomValues(rows * dim, seed: UInt64(rows * 31 + dim)))
        let q = randomValues(dim, seed: 9)
        let want = naiveScores(bf16Floats(bits), rows: rows, dim: dim, q)
        for level in VectorKernels.supportedLevels {
            var out = [Float](repeating: .nan, count: rows + 1)
            VectorKernels.scoresBF16(
                bits: bits, rows: rows, dimension: dim, query: q, out: &out, level: level)
            for i in 0..<rows {
                #expect(
                    abs(Double(out[i]) - want[i]) <= 1e-5 * Double(max(dim, 1)),
                    "\(level) row \(i): \(out[i]) vs \(want[i])")
            }
            #expect(out[rows].isNaN, "\(level) wrote past the last row")
        }
    }

    @Test(
        "every supported level's int8 kernel matches the naive twin on odd shapes",
        arguments: shapes)
    func int8(rows: Int, dim: Int) {
        let values = randomValues(rows * dim, seed: UInt64(rows * 17 + dim))
            .map { Int8(($0 * 127).rounded()) }
        let scales = randomValues(rows, seed: 5).map { abs($0) + 0.01 }
        let q = randomValues(dim, seed: 6)
        let want = (0..<rows).map { r -> Double in
            var s = 0.0
            for j in 0..<dim { s += Double(values[r * dim + j]) * Double(q[j]) }
            return s * Double(scales[r])
        }
        for level in VectorKernels.supportedLevels {
            var out = [Float](repeating: .nan, count: rows + 1)
            VectorKernels.scoresInt8(
                values: values, scales: scales, rows: rows, dimension: dim, query: q,
                out: &out, level: level)
            for i in 0..<rows {
                #expect(
                    abs(Double(out[i]) - want[i]) <= 1e-4 * Double(max(dim, 1)),
                    "\(level) row \(i): \(out[i]) vs \(want[i])")
            }
            #expect(out[rows].isNaN, "\(level) wrote past the last row")
        }
    }

    @Test("the automatic level is a supported one and gives the same scores")
    func automaticLevel() {
        #expect(VectorKernels.best.isSupported)
        #expect(VectorKernels.Level.scalar.isSupported)
        let rows = 9, dim = 40
        let m = randomValues(rows * dim, seed: 3)
        let q = randomValues(dim, seed: 4)
        var auto = [Float](repeating: .nan, count: rows)
        var explicit = [Float](repeating: .nan, count: rows)
        VectorKernels.scores(matrix: m, rows: rows, dimension: dim, query: q, out: &auto)
        VectorKernels.scores(
            matrix: m, rows: rows, dimension: dim, query: q, out: &explicit,
            level: VectorKernels.best)
        #expect(auto == explicit)
    }
}
