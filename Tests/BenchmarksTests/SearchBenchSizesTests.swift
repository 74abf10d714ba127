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

    @Test("the settings line comes before a bad --sizes is reported, and nothing after it")
    func settingsBeforeSizes() {
        var lines: [String] = []
        var bench = SearchBench()
        bench.output = { lines.append($0) }
        #expect(throws: SearchBenchError.notACount("x")) { try bench.run(sizes: "x") }
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("search: top-10, 512-d float32") == true)
    }
}
