import Testing

@testable import Benchmarks

@Suite("synthetic bench vectors")
struct SyntheticVectorsTests {
    private func cosine(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    @Test("vectors and queries are unit length and the same every time")
    func repeatable() {
        for kind in [SyntheticVectors.Kind.random, .clustered] {
            let data = SyntheticVectors(kind: kind, dimension: 64)
            var a = [Float](repeating: 0, count: 64)
            var b = [Float](repeating: 0, count: 64)
            data.vector(17, into: &a)
            SyntheticVectors(kind: kind, dimension: 64).vector(17, into: &b)
            #expect(a == b)
            #expect(abs(cosine(a, a) - 1) < 1e-5)
            data.vector(18, into: &b)
            #expect(a != b)
            #expect(abs(cosine(data.query(3), data.query(3)) - 1) < 1e-5)
        }
    }

    @Test("clustered vectors share a direction and queries sit near photos; random ones do not")
    func shape() {
        func meanCosine(_ kind: SyntheticVectors.Kind) -> (pairs: Float, best: Float) {
            let data = SyntheticVectors(kind: kind, dimension: 128)
            var rows: [[Float]] = []
            for n in 0..<2000 {
                var v = [Float](repeating: 0, count: 128)
                data.vector(n, into: &v)
                rows.append(v)
            }
            let pairs = (0..<500).map { cosine(rows[$0], rows[$0 + 1000]) }
            let best = (0..<20).map { q in
                let query = data.query(q)
                return rows.map { cosine($0, query) }.max() ?? 0
            }
            return (pairs.reduce(0, +) / 500, best.reduce(0, +) / 20)
        }
        let random = meanCosine(.random)
        let clustered = meanCosine(.clustered)
        #expect(abs(random.pairs) < 0.02)
        #expect(clustered.pairs > 0.15 && clustered.pairs < 0.5)
        #expect(clustered.best > 0.6)
        #expect(random.best < 0.4)
    }

    @Test("--db-data takes data set names, comma-separated, and names a wrong one")
    func dataSets() throws {
        #expect(
            try SyntheticVectors.Kind.list(parsing: "random, clustered") == [.random, .clustered])
        #expect(throws: SearchBenchError.notADataSet("flat")) {
            try SyntheticVectors.Kind.list(parsing: "clustered,flat")
        }
        #expect(
            SearchBenchError.notADataSet("flat").description
                == "--db-data: flat is not clustered or random")
    }
}
