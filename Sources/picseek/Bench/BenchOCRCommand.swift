import ArgumentParser
import Benchmarks
import OCR

/// `picseek bench ocr`: milliseconds per photo through libtesseract, side by side with the
/// `tesseract` command line on the same grey image and settings, and character error rates.
struct BenchOCRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "Time reading words in photos against the tesseract command line; error rates.",
        discussion: """
            Reads the images of a folder with a truth.tsv (file, language, expected line), by
            default the committed test set Tests/OCRTests/Fixtures. Each image is decoded and
            shrunk as the index does (ImagePipeline.textImage), then read by libtesseract in
            this process and by `tesseract IMAGE - -l LANGS --oem 1 --psm 3 --dpi 300` on the
            same grey pixels (a PGM file). Character error rate: edit distance over the
            expected characters, spaces ignored, Latin letters and digits and CJK characters
            counted apart.
            """)

    @Option(help: ArgumentHelp("Folder with the images and truth.tsv.", valueName: "dir"))
    var images = "Tests/OCRTests/Fixtures"

    @Option(help: ArgumentHelp("Tesseract languages.", valueName: "langs"))
    var languages = TextRecognizer.defaultLanguages

    @Option(help: "Timed runs per image (median reported).")
    var runs = 3

    @Flag(help: "Skip the tesseract command line.")
    var noCli = false

    func run() throws {
        guard runs >= 1 else { throw CLIError("--runs must be at least 1") }
        var bench = OCRBench()
        bench.images = images
        bench.languages = languages
        bench.runs = runs
        bench.noCli = noCli
        try BenchCommand.reporting { try bench.run() }
    }
}
