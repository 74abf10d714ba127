import Tensor
import Testing

@testable import Benchmarks

private func randomMatrix(rows: Int, dim: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<(rows * dim)).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: state >> 11) % 20001 - 10000) / 10000
    }
}

@Suite("Scoring kernels measured by bench search only")
struct KernelTests {
    @Test(
        "the SIMD loop and BLAS match the naive twin, odd sizes included",
        arguments: [(1, 3), (5, 8), (13, 17), (64, 512), (7, 768), (1001, 17)])
    func kernels(rows: Int, dim: Int) {
        let m = randomMatrix(rows: rows, dim: dim, seed: UInt64(rows * 1000 + dim))
        let q = randomMatrix(rows: 1, dim: dim, seed: 99)
        var naive = [Float](repeating: 0, count: rows)
        ScoreKernel.scoresNaive(matrix: m, rows: rows, dimension: dim, query: q, out: &naive)
        for method in ScoreKernel.Method.allCases {
            var out = [Float](repeating: .nan, count: rows)
            ScoreKernel.scores(method, matrix: m, rows: rows, dimension: dim, query: q, out: &out)
            for i in 0..<rows {
                #expect(abs(out[i] - naive[i]) <= 1e-4 * Float(dim), "\(method) row \(i)")
            }
        }
    }

    @Test(
        "the bf16 loop matches its naive twin and stays near float32",
        arguments: [(3, 5), (9, 16), (33, 512)])
    func bf16(rows: Int, dim: Int) {
        let m = randomMatrix(rows: rows, dim: dim, seed: UInt64(rows + dim))
        let q = randomMatrix(rows: 1, dim: dim, seed: 7)
        let half = BF16Matrix(m, rows: rows, dimension: dim)
        var fast = [Float](repeating: .nan, count: rows)
        var naive = [Float](repeating: .nan, count: rows)
        var exact = [Float](repeating: .nan, count: rows)
        half.scores(query: q, out: &fast)
        half.scoresNaive(query: q, out: &naive)
        ScoreKernel.scoresNaive(matrix: m, rows: rows, dimension: dim, query: q, out: &exact)
        for i in 0..<rows {
            #expect(abs(fast[i] - naive[i]) <= 1e-4 * Float(dim))
            // bf16 keeps 8 significant bits: |error| <= 2^-8 * sum |m q|.
            var bound: Float = 0
            for j in 0..<dim { bound += abs(m[i * dim + j] * q[j]) }
            #expect(abs(naive[i] - exact[i]) <= bound / 256 + 1e-6)
        }
        #expect(BF16Matrix.float(BF16Matrix.bf16(1.0)) == 1.0)
        #expect(BF16Matrix.float(BF16Matrix.bf16(-2.5)) == -2.5)
    }

    @Test(
        "bf16 scan (Swift and C) plus float32 rescoring returns the exact top-k",
        arguments: [(3000, 64), (1001, 17), (2000, 512)])
    func bf16TopK(rows: Int, dim: Int) {
        let m = randomMatrix(rows: rows, dim: dim, seed: UInt64(11 + dim))
        let half = BF16Matrix(m, rows: rows, dimension: dim)
        var scratch = [Float](repeating: 0, count: rows)
        for seed in 0..<5 {
            let q = randomMatrix(rows: 1, dim: dim, seed: UInt64(100 + seed))
            var exact = [Float](repeating: 0, count: rows)
            ScoreKernel.scoresNaive(matrix: m, rows: rows, dimension: dim, query: q, out: &exact)
            let want = TopK.selectNaive(exact, k: 10)
            for simd in [false, true] {
                let got = half.topK(
                    query: q, exact: m, k: 10, candidates: 200, include: nil, scratch: &scratch,
                    simd: simd)
                #expect(got.map(\.index) == want.map(\.index), "simd \(simd)")
                #expect(got.map(\.score) == want.map(\.score), "simd \(simd)")
            }
        }
    }

    @Test("the C bf16 pass matches the Swift bf16 loop", arguments: [(1001, 17), (5, 512)])
    func bf16SIMD(rows: Int, dim: Int) {
        let m = randomMatrix(rows: rows, dim: dim, seed: UInt64(rows ^ dim))
        let q = randomMatrix(rows: 1, dim: dim, seed: 8)
        let half = BF16Matrix(m, rows: rows, dimension: dim)
        var naive = [Float](repeating: .nan, count: rows)
        var simd = [Float](repeating: .nan, count: rows)
        half.scoresNaive(query: q, out: &naive)
        half.scoresSIMD(query: q, out: &simd)
        for i in 0..<rows {
            #expect(abs(simd[i] - naive[i]) <= 1e-4 * Float(dim), "row \(i)")
        }
    }
}
