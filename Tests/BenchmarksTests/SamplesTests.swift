import Testing

@testable import Benchmarks

@Suite("Samples: the figures every bench prints")
struct SamplesTests {
    @Test("the median of an odd count is the middle value, in any input order")
    func oddMedian() {
        let samples = Samples([9, 1, 5, 3, 7])
        #expect(samples.median == 5)
        #expect(samples.upperMedian == 5)
        #expect(samples.sorted == [1, 3, 5, 7, 9])
        #expect(samples.count == 5)
    }

    @Test("the median of an even count averages the two middle values")
    func evenMedian() {
        let samples = Samples([4, 1, 3, 2])
        #expect(samples.median == 2.5)
        #expect(samples.upperMedian == 3)
    }

    @Test("min and max are the extremes")
    func extremes() {
        let samples = Samples([2.5, -1, 8, 0.25])
        #expect(samples.min == -1)
        #expect(samples.max == 8)
    }

    @Test("no samples report zero rather than crashing")
    func empty() {
        let samples = Samples([Double]())
        #expect(samples.median == 0 && samples.upperMedian == 0)
        #expect(samples.min == 0 && samples.max == 0)
        #expect(samples.count == 0)
    }

    @Test("one sample is every figure")
    func single() {
        let samples = Samples([4.75])
        #expect(samples.median == 4.75 && samples.upperMedian == 4.75)
        #expect(samples.min == 4.75 && samples.max == 4.75)
    }
}

@Suite("Bench errors")
struct BenchErrorTests {
    @Test("messages are lowercase and name the file or the step")
    func messages() {
        #expect(
            BenchError.unreadable(path: "dir/truth.tsv").description
                == "cannot read dir/truth.tsv")
        #expect(BenchError.unwritable(path: "out.jpg").description == "cannot write out.jpg")
        #expect(BenchError.shortWrite(path: "out.jpg").description == "short write to out.jpg")
        #expect(
            BenchError.modelLoad(path: "m", reason: "no config.json").description
                == "cannot load model m: no config.json")
        #expect(BenchError.embedderCalled.description == "bench: the embedder must not be called")
    }

    @Test("only errors about options are usage errors")
    func usage() {
        #expect(BenchError.unwritable(path: "x").isUsage)
        #expect(BenchError.modelLoad(path: "m", reason: "r").isUsage)
        #expect(!BenchError.unreadable(path: "x").isUsage)
        #expect(!BenchError.unexpectedRescan("x").isUsage)
    }
}

@Suite("Bench search report")
struct SearchBenchTests {
    @Test("a small run prints a line for each of the six scoring methods")
    func everyMethod() throws {
        var lines: [String] = []
        var bench = SearchBench()
        bench.sizes = [300]
        bench.dim = 16
        bench.top = 5
        bench.repeats = 2
        bench.rescanFiles = 0
        bench.dbRows = 0
        bench.duplicateRows = 0
        bench.startupSizes = [400]
        bench.startupRuns = 2
        bench.output = { lines.append($0) }
        try bench.run()
        // Settings, one line per method, the 2-thread int8 line, then start-up and latency.
        #expect(lines.count == 1 + ScoreKernel.Method.allCases.count + 1 + 2)
        #expect(lines.dropFirst(7).first?.contains("int8simd, 2 threads  median") == true)
        let startup = lines.dropFirst(8).first ?? ""
        #expect(startup.hasPrefix("start-up, 400 photos (made in "), "\(startup)")
        #expect(startup.contains("database only") && startup.contains("warm (cache opened)"))
        #expect(lines.last?.contains("400 photos, top-5 with paths: 1 thread median") == true)
        #expect(
            lines.first?.hasPrefix("search: top-5, 16-d float32, 1 thread, median of 2") == true)
        for (line, method) in zip(lines.dropFirst(), ScoreKernel.Method.allCases) {
            #expect(line.contains("     300 vectors  \(method.rawValue)"), "\(line)")
            #expect(line.contains("median ") && line.contains("top-k "))
        }
    }
}
