import Testing

@testable import Benchmarks

@Suite("bench search settings")
struct SearchBenchSizesTests {
    @Test("--sizes takes comma-separated positive counts, spaces allowed")
    func sizes() throws {
        #expect(try SearchBench.sizes(parsing: "100, 2000,5") == [100, 2000, 5])
    }

    @Test("--sizes names the first entry that is not a positive count")
    func badSizes() {
        #expect(throws: SearchBenchError.notACount("0")) {
            try SearchBench.sizes(parsing: "10,0,x")
        }
        #expect(
            SearchBenchError.notACount("x").description == "--sizes: x is not a positive count")
    }
}
