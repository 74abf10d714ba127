import ArgumentParser
import Benchmarks

/// `picseek bench images`: time the image pipeline on a generated 24 MP JPEG or on a
/// given photo of any format it reads (measured by `ImagesBench`).
struct BenchImagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "Time decode + resize + normalise + thumbnail on a photo (one thread).")

    @Option(help: "Width of the generated photo in pixels.")
    var width = 6000

    @Option(help: "Height of the generated photo in pixels.")
    var height = 4000

    @Option(help: "JPEG quality of the generated photo.")
    var quality = 90

    @Option(help: "Timed runs of the fast (DCT-scaled) pipeline.")
    var runs = 15

    @Option(help: "Timed runs of the exact (full-size decode) pipeline.")
    var exactRuns = 5

    @Option(
        help: ArgumentHelp(
            "Model input mode: squash (Chinese-CLIP) or crop (OpenCLIP shortest side + "
                + "centre crop).")
    )
    var mode: ImagesBench.Mode = .squash

    @Option(
        help: "Also write the generated JPEG to this path (for scripts/bench_pil_preprocess.py).")
    var saveJPEG: String?

    @Option(
        help: ArgumentHelp(
            "Format of the timed photo: jpeg (generated unless --file is given), png, webp, gif, "
                + "tiff, heic or avif (these need --file).")
    )
    var format: ImagesBench.Format = .jpeg

    @Option(
        help: ArgumentHelp(
            "A photo to time instead of the generated JPEG; it must be of --format "
                + "(scripts/bench_pil_preprocess.py --make FORMAT writes a 12 MP one).",
            valueName: "path"))
    var file: String?

    /// The benchmark these options ask for.
    private var bench: ImagesBench {
        var bench = ImagesBench()
        bench.width = width
        bench.height = height
        bench.quality = quality
        bench.runs = runs
        bench.exactRuns = exactRuns
        bench.mode = mode
        bench.saveJPEG = saveJPEG
        bench.photoFormat = format
        bench.file = file
        return bench
    }

    func validate() throws {
        try BenchCommand.reporting { try bench.validate() }
    }

    func run() throws {
        try BenchCommand.reporting { try bench.run() }
    }
}

extension ImagesBench.Mode: ExpressibleByArgument {}
extension ImagesBench.Format: ExpressibleByArgument {}
