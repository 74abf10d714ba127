import Benchmarks
import Testing

@Suite("Benchmark settings that cannot be measured are refused before anything runs")
struct BenchSettingsTests {
    @Test("the engine benchmark's defaults are accepted")
    func engineDefaults() throws {
        try EngineBench().validate(bf16Supported: false)
    }

    @Test("engine counts below one and too few tokens are refused, naming the options")
    func engineCounts() {
        let message = BenchError.settings(
            "threads, runs and text-runs must be positive, tokens at least 3, "
                + "thin-max-rows not negative")
        var bench = EngineBench()
        bench.threads = 0
        #expect(throws: message) { try bench.validate() }
        bench = EngineBench()
        bench.tokens = 2
        #expect(throws: message) { try bench.validate() }
        bench = EngineBench()
        bench.thinMaxRows = -1
        #expect(throws: message) { try bench.validate() }
    }

    @Test("bf16 is refused on a CPU without AVX512_BF16 and accepted on one with it")
    func engineBF16() throws {
        var bench = EngineBench()
        bench.imagePrecision = .bfloat16
        #expect(throws: BenchError.self) { try bench.validate(bf16Supported: false) }
        try bench.validate(bf16Supported: true)
    }

    @Test("int8 is refused on a CPU without AVX-512 VNNI, naming it, and accepted on one with it")
    func engineInt8() throws {
        var bench = EngineBench()
        bench.imagePrecision = .int8
        #expect(
            throws: BenchError.settings(
                "--image-precision int8 needs a CPU with AVX-512 VNNI, which this one lacks; "
                    + "use fp32")
        ) { try bench.validate(bf16Supported: true, int8Supported: false) }
        try bench.validate(bf16Supported: false, int8Supported: true)
    }

    @Test("the images benchmark refuses tiny and huge photos and no timed runs")
    func images() throws {
        var bench = ImagesBench()
        try bench.validate()
        bench.width = 8
        #expect(
            throws: BenchError.settings("size must be at least 16x16 and at most 100 megapixels")
        ) {
            try bench.validate()
        }
        bench = ImagesBench()
        bench.width = 20_000
        bench.height = 10_000
        #expect(throws: BenchError.self) { try bench.validate() }
        bench = ImagesBench()
        bench.runs = 0
        #expect(throws: BenchError.settings("runs must be positive")) { try bench.validate() }
    }

    @Test("settings errors are usage errors")
    func usage() {
        #expect(BenchError.settings("x").isUsage)
    }
}
