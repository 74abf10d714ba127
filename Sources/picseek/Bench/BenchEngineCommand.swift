import ArgumentParser
import Benchmarks
import CLIP
import Tensor

/// `picseek bench engine`: image throughput and text-query latency of the CLIP engine,
/// measured by `EngineBench` (both model families with random weights, or a model folder).
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Images/s at batch 1 and 8 and text-query latency of the CLIP engine.")

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Threads of OpenBLAS and of picseek's kernels (OpenBLAS gets 1 where the image "
                + "tower runs on picseek's kernels: bf16, int8, and fp32 on AVX-512 CPUs unless "
                + "--openblas-fp32).")
    )
    var threads = 2

    @Option(name: .long, help: "Timed runs per image batch size (median reported).")
    var runs = 5

    @Option(name: .long, help: "Timed text queries (median reported).")
    var textRuns = 50

    @Option(name: .long, help: "Tokens in the text query, including the start and end tokens.")
    var tokens = 10

    @Option(
        name: .long, help: "Model families with random weights: all, chinese-clip, xlm-roberta.")
    var family: EngineBench.Family = .all

    @Option(
        name: .long,
        help: "Linear layers with at most this many rows use the thin kernel (0: OpenBLAS only).")
    var thinMaxRows = Kernels.thinLinearMaxRows

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Instruction set of the thin kernel: scalar, avx2, avx512 (default: the best "
                + "this CPU has).")
    )
    var simd: SIMDLevel?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Image tower Linear layers in fp32 (default), bf16 (AVX512_BF16 CPUs) or int8 "
                + "(AVX-512 VNNI CPUs); bf16 and int8 also print the distance from fp32.")
    )
    var imagePrecision: ImagePrecision = .float32

    @Option(name: .long, help: "Use a Hugging Face model folder instead of random weights.")
    var model: String?

    @Flag(name: .long, help: "Measure only the text query (skip the image tower).")
    var textOnly = false

    @Flag(name: .long, help: "Print the results as JSON objects, one line per model.")
    var json = false

    @Flag(
        name: .long,
        help: "Text tower: use the Linear weights in place (the unpacked thin kernel), to compare.")
    var unpackedText = false

    @Flag(name: .long, help: "Print where a text query's time goes, by stage.")
    var textProfile = false

    @Flag(name: .long, help: "Print where an image's time goes, by stage (wall and CPU time).")
    var imageProfile = false

    @Flag(
        name: .customLong("openblas-fp32"),
        help: ArgumentHelp(
            "fp32 image tower: multiply through OpenBLAS sgemm instead of picseek's GEMM, "
                + "to compare."))
    var openBLASImages = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Text tower Linear layers in fp32 (default) or bf16 (AVX512_BF16 CPUs); bf16 also "
                + "prints the distance from fp32.")
    )
    var textPrecision: TextPrecision = .float32

    /// The benchmark these options ask for.
    private var bench: EngineBench {
        var bench = EngineBench()
        bench.threads = threads
        bench.runs = runs
        bench.textRuns = textRuns
        bench.tokens = tokens
        bench.family = family
        bench.thinMaxRows = thinMaxRows
        bench.simd = simd
        bench.imagePrecision = imagePrecision
        bench.model = model
        bench.textOnly = textOnly
        bench.json = json
        bench.packText = !unpackedText
        bench.textProfile = textProfile
        bench.imageProfile = imageProfile
        bench.openBLASImages = openBLASImages
        bench.textPrecision = textPrecision
        return bench
    }

    func validate() throws {
        try BenchCommand.reporting { try bench.validate() }
    }

    func run() throws {
        try BenchCommand.reporting { try bench.run() }
    }
}

extension EngineBench.Family: ExpressibleByArgument {}

extension TextPrecision: ExpressibleByArgument {}

extension SIMDLevel: ExpressibleByArgument {
    public init?(argument: String) {
        guard let level = SIMDLevel.allCases.first(where: { $0.description == argument }) else {
            return nil
        }
        self = level
    }

    public static var allValueStrings: [String] { allCases.map(\.description) }
}
