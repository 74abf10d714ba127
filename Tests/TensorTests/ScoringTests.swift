import Testing

@testable import Tensor

private func randomMatrix(rows: Int, dim: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<(rows * dim)).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: state >> 11) % 20001 - 10000) / 10000
    }
}

/// One scalar dot product per row: the reference every scorer is checked against.
private func naiveScores(_ m: [Float], rows: Int, dim: Int, query q: [Float]) -> [Float] {
    (0..<rows).map { r in
        var s: Float = 0
        for j in 0..<dim { s += m[r * dim + j] * q[j] }
        return s
    }
}

@Suite("Row scorers and top-k")
struct ScoringTests {
    @Test("heap top-k equals a full sort, with filters and ties")
    func topK() {
        var scores = randomMatrix(rows: 1000, dim: 1, seed: 5)
        scores[10] = 2
        scores[20] = 2 // tie: lower index first
        scores[30] = .nan
        for k in [0, 1, 2, 10, 999, 2000] {
            let fast = scores.withUnsafeBufferPointer { TopK.select($0, k: k) }
            let slow = TopK.selectNaive(scores, k: k)
            #expect(fast.map(\.index) == slow.map(\.index))
            #expect(fast.map(\.score) == slow.map(\.score))
        }
        let even: (Int) -> Bool = { $0 % 2 == 0 }
        let fast = scores.withUnsafeBufferPointer { TopK.select($0, k: 15, include: even) }
        #expect(fast.map(\.index) == TopK.selectNaive(scores, k: 15, include: even).map(\.index))
        #expect(fast.first?.index == 10)
        #expect(fast.count == 15)
    }

    @Test(
        "int8 scan plus float32 rescoring returns the exact top-k",
        arguments: [(3000, 64), (1001, 17), (2000, 512)])
    func int8TopK(rows: Int, dim: Int) {
        let m = randomMatrix(rows: rows, dim: dim, seed: UInt64(23 + dim))
        let quarter = Int8Matrix(m, rows: rows, dimension: dim)
        var scratch = [Float](repeating: 0, count: rows)
        for seed in 0..<5 {
            let q = randomMatrix(rows: 1, dim: dim, seed: UInt64(200 + seed))
            let exact = naiveScores(m, rows: rows, dim: dim, query: q)
            let want = TopK.selectNaive(exact, k: 10)
            let got = quarter.topK(
                query: q, exact: m, k: 10, candidates: 200, include: nil, scratch: &scratch)
            #expect(got.map(\.index) == want.map(\.index))
            #expect(got.map(\.score) == want.map(\.score))
        }
    }

    @Test(
        "the int8 pass matches its naive twin and stays near float32",
        arguments: [(1001, 17), (5, 512)])
    func int8(rows: Int, dim: Int) {
        var m = randomMatrix(rows: rows, dim: dim, seed: UInt64(rows &+ 3 * dim))
        for j in 0..<dim { m[j] = 0 } // an all-zero row gets scale 0
        let q = randomMatrix(rows: 1, dim: dim, seed: 12)
        let quarter = Int8Matrix(m, rows: rows, dimension: dim)
        var naive = [Float](repeating: .nan, count: rows)
        var simd = [Float](repeating: .nan, count: rows)
        quarter.scoresNaive(query: q, out: &naive)
        quarter.scoresSIMD(query: q, out: &simd)
        let exact = naiveScores(m, rows: rows, dim: dim, query: q)
        #expect(quarter.scales[0] == 0 && simd[0] == 0)
        for i in 0..<rows {
            #expect(abs(simd[i] - naive[i]) <= 1e-4 * Float(dim), "row \(i)")
            // Rounding error is at most half a step (scale / 2) per element.
            var bound: Float = 0
            for j in 0..<dim { bound += abs(q[j]) * quarter.scales[i] / 2 }
            #expect(abs(naive[i] - exact[i]) <= bound * 1.001 + 1e-5, "row \(i)")
        }
    }

    @Test(
        "both shipped scorers return the exact float32 top-k, filters included",
        arguments: ScoringMethod.allCases)
    func scorers(method: ScoringMethod) {
        let (rows, dim) = (1500, 48)
        let m = randomMatrix(rows: rows, dim: dim, seed: 31)
        let scorer = method.scorer(matrix: m, rows: rows, dimension: dim)
        #expect(scorer.rows == rows && scorer.dimension == dim)
        let odd: (Int) -> Bool = { $0 % 2 == 1 }
        for seed in 0..<4 {
            let q = randomMatrix(rows: 1, dim: dim, seed: UInt64(300 + seed))
            // The int8 scorer rescores in the naive order; the exact one sums in the C kernels.
            var exact = naiveScores(m, rows: rows, dim: dim, query: q)
            if method == .exact {
                VectorKernels.scores(matrix: m, rows: rows, dimension: dim, query: q, out: &exact)
            }
            for k in [1, 10, 50] {
                let want = TopK.selectNaive(exact, k: k)
                let got = scorer.top(k, query: q, include: nil)
                #expect(got.map(\.index) == want.map(\.index), "\(method) k \(k)")
                #expect(got.map(\.score) == want.map(\.score), "\(method) k \(k)")
            }
            let filtered = scorer.top(10, query: q, include: odd)
            let wantFiltered = TopK.selectNaive(exact, k: 10, include: odd)
            #expect(filtered.map(\.index) == wantFiltered.map(\.index))
            #expect(filtered.allSatisfy { odd($0.index) })
        }
        let query = randomMatrix(rows: 1, dim: dim, seed: 1)
        #expect(scorer.top(0, query: query, include: nil).isEmpty)
    }

    @Test("a scorer over no rows finds nothing")
    func emptyScorer() {
        for method in ScoringMethod.allCases {
            let scorer = method.scorer(matrix: [], rows: 0, dimension: 4)
            #expect(scorer.top(5, query: [1, 0, 0, 0], include: nil).isEmpty)
        }
    }
}
