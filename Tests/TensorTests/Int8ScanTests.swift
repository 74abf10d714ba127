import Testing

@testable import Tensor

private func randomRows(rows: Int, dim: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<(rows * dim)).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: state >> 11) % 20001 - 10000) / 10000
    }
}

/// The candidates of `Int8Scan` over an `Int8Matrix` of `m`, with `threads` threads.
private func scan(
    _ q: Int8Matrix, query: [Float], count: Int, threads: Int, include: ((Int) -> Bool)? = nil
) -> [(index: Int, score: Float)] {
    var scratch = [Float](repeating: 0, count: q.rows)
    return q.values.withUnsafeBufferPointer { v in
        q.scales.withUnsafeBufferPointer { s in
            query.withUnsafeBufferPointer { qb in
                scratch.withUnsafeMutableBufferPointer { o -> [(index: Int, score: Float)] in
                    guard let vb = v.baseAddress, let sb = s.baseAddress, let qp = qb.baseAddress,
                        let ob = o.baseAddress
                    else { return [] }
                    return Int8Scan.candidates(
                        values: vb, scales: sb, rows: q.rows, dimension: q.dimension, query: qp,
                        count: count, include: include, threads: threads, scratch: ob)
                }
            }
        }
    }
}

@Suite("Int8 scan over threads")
struct Int8ScanTests {
    @Test(
        "two, three and eight threads pick exactly what one thread picks, filters included",
        arguments: [(70_001, 64), (40_000, 33), (100, 512)])
    func threadsAgree(rows: Int, dim: Int) {
        let m = randomRows(rows: rows, dim: dim, seed: UInt64(rows + dim))
        let q = Int8Matrix(m, rows: rows, dimension: dim)
        let query = randomRows(rows: 1, dim: dim, seed: 99)
        let odd: (Int) -> Bool = { $0 % 3 != 1 }
        for include in [nil, odd] {
            let one = scan(q, query: query, count: 200, threads: 1, include: include)
            #expect(one.count == min(200, include == nil ? rows : rows - rows / 3))
            for threads in [2, 3, 8] {
                let many = scan(q, query: query, count: 200, threads: threads, include: include)
                #expect(many.map(\.index) == one.map(\.index))
                #expect(many.map(\.score) == one.map(\.score))
            }
        }
    }

    @Test("the scan's candidates match its naive twin's, scores within float rounding")
    func naiveTwin() {
        let (rows, dim) = (40_000, 48)
        let m = randomRows(rows: rows, dim: dim, seed: 4)
        let q = Int8Matrix(m, rows: rows, dimension: dim)
        let query = randomRows(rows: 1, dim: dim, seed: 5)
        let fast = scan(q, query: query, count: 50, threads: 2)
        let slow = q.values.withUnsafeBufferPointer { v in
            q.scales.withUnsafeBufferPointer { s in
                query.withUnsafeBufferPointer { qb -> [(index: Int, score: Float)] in
                    guard let vb = v.baseAddress, let sb = s.baseAddress, let qp = qb.baseAddress
                    else { return [] }
                    return Int8Scan.candidatesNaive(
                        values: vb, scales: sb, rows: rows, dimension: dim, query: qp, count: 50,
                        include: nil)
                }
            }
        }
        #expect(fast.count == 50 && slow.count == 50)
        // Rounding may swap near-ties; the sets of the 40 best agree and scores are close.
        #expect(Set(fast.prefix(40).map(\.index)).isSubset(of: Set(slow.map(\.index))))
        for (a, b) in zip(fast, slow) { #expect(abs(a.score - b.score) < 1e-3) }
    }

    @Test("quantising a row maps its peak to ±127 and every value to the nearest step")
    func quantiseRow() {
        let row: [Float] = [0.5, -1.0, 0.25, 0.0039, -0.0040, .nan, 1e-9, -0.999]
        var out = [Int8](repeating: 9, count: row.count)
        let scale = row.withUnsafeBufferPointer { r in
            out.withUnsafeMutableBufferPointer { o -> Float in
                guard let rb = r.baseAddress, let ob = o.baseAddress else { return -1 }
                return Int8Matrix.quantise(row: rb, dimension: row.count, into: ob)
            }
        }
        #expect(scale == Float(1) / 127)
        #expect(out == [64, -127, 32, 0, -1, 0, 0, -127])
        let zeros = [Float](repeating: 0, count: 4)
        var zeroOut = [Int8](repeating: 5, count: 4)
        let zeroScale = zeros.withUnsafeBufferPointer { r in
            zeroOut.withUnsafeMutableBufferPointer { o -> Float in
                guard let rb = r.baseAddress, let ob = o.baseAddress else { return -1 }
                return Int8Matrix.quantise(row: rb, dimension: 4, into: ob)
            }
        }
        #expect(zeroScale == 0 && zeroOut == [0, 0, 0, 0])
        let m = randomRows(rows: 300, dim: 37, seed: 12)
        let q = Int8Matrix(m, rows: 300, dimension: 37)
        for i in 0..<m.count {
            let exact = m[i] / q.scales[i / 37]
            #expect(abs(Float(q.values[i]) - exact) <= 0.5001)
        }
    }

    @Test("merging the parts' picks equals one selection over all rows")
    func mergeEqualsSelect() {
        var scores = randomRows(rows: 5000, dim: 1, seed: 8)
        scores[100] = 3
        scores[4000] = 3 // a tie across parts: the lower index wins
        let whole = scores.withUnsafeBufferPointer { TopK.select($0, k: 25) }
        var parts: [(index: Int, score: Float)] = []
        for start in stride(from: 0, to: 5000, by: 1024) {
            let end = min(5000, start + 1024)
            let picked = scores.withUnsafeBufferPointer {
                TopK.select(UnsafeBufferPointer(rebasing: $0[start..<end]), k: 25)
            }
            parts += picked.map { (index: $0.index + start, score: $0.score) }
        }
        let merged = TopK.merge(parts, k: 25)
        #expect(merged.map(\.index) == whole.map(\.index))
        #expect(merged.first?.index == 100 && merged.dropFirst().first?.index == 4000)
    }

    @Test("rescoring through row lookups equals rescoring a matrix, and drops missing rows")
    func rescoreByRow() {
        let (rows, dim) = (50, 16)
        let m = randomRows(rows: rows, dim: dim, seed: 9)
        let query = randomRows(rows: 1, dim: dim, seed: 10)
        let picks = (0..<rows).map { (index: $0, score: Float(0)) }
        m.withUnsafeBufferPointer { mb in
            query.withUnsafeBufferPointer { qb in
                guard let mp = mb.baseAddress, let qp = qb.baseAddress else { return }
                let direct = TopK.rescore(picks, exact: mp, dimension: dim, query: qp, k: 10)
                let looked = TopK.rescore(
                    picks, row: { mp + $0 * dim }, dimension: dim, query: qp, k: 10)
                #expect(direct.map(\.index) == looked.map(\.index))
                #expect(direct.map(\.score) == looked.map(\.score))
                let best = direct[0].index
                let without = TopK.rescore(
                    picks, row: { $0 == best ? nil : mp + $0 * dim }, dimension: dim, query: qp,
                    k: 10)
                #expect(
                    without.map(\.index) == Array(direct.map(\.index).dropFirst()) + [
                        TopK.rescore(picks, exact: mp, dimension: dim, query: qp, k: 11)[10].index
                    ])
            }
        }
    }
}

@Suite("Int8 query kernel")
struct Int8DotKernelTests {
    @Test(
        "the VNNI kernel equals its scalar twin exactly, tails of rows and columns included",
        arguments: [(9, 64), (7, 70), (33, 512), (5, 17)])
    func vnniEqualsScalar(rows: Int, dim: Int) {
        let m = randomRows(rows: rows, dim: dim, seed: UInt64(rows * dim))
        let q = Int8Matrix(m, rows: rows, dimension: dim)
        let query = randomRows(rows: 1, dim: dim, seed: 3)
        let (q8, scale) = query.withUnsafeBufferPointer { b in
            b.baseAddress.map { Int8Scan.quantised($0, dim) } ?? ([], 0)
        }
        func run(fast: Bool) -> [Float] {
            var out = [Float](repeating: -9, count: rows)
            q.values.withUnsafeBufferPointer { v in
                q.scales.withUnsafeBufferPointer { s in
                    q8.withUnsafeBufferPointer { qb in
                        out.withUnsafeMutableBufferPointer { o in
                            guard let vb = v.baseAddress, let sb = s.baseAddress,
                                let qp = qb.baseAddress, let ob = o.baseAddress
                            else { return }
                            VectorKernels.scoresInt8Dot(
                                values: vb, scales: sb, rows: rows, dimension: dim, query: qp,
                                queryScale: scale, out: ob, fast: fast)
                        }
                    }
                }
            }
            return out
        }
        let slow = run(fast: false)
        // Against float32: the int8 dot products stay close to the true ones.
        for r in 0..<rows {
            var exact: Float = 0
            for j in 0..<dim { exact += m[r * dim + j] * query[j] }
            #expect(abs(slow[r] - exact) < 0.02 * Float(dim).squareRoot())
        }
        // Without AVX-512 VNNI only the scalar kernel exists (and the scan uses float queries).
        if VectorKernels.hasInt8Dot { #expect(run(fast: true) == slow) }
    }
}
