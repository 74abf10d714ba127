import ArgumentParser
import Imaging
import Library
import PicseekCore

/// `picseek index PATH...`: add folders to the index and bring it up to date.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract:
            "Index photos under folders; rerun to pick up new, changed, moved and deleted files.",
        discussion: """
            Skips hidden folders and junk (.git, node_modules, @eaDir, .thumbnails, __MACOSX,
            .Trash*, lost+found, …). Safe to interrupt (Ctrl-C or even kill -9): the next run
            continues where this one stopped. Only one indexer may write an index at a time.

            After the vectors, a second pass reads the words in photos (OCR, Tesseract,
            chi_sim+eng) for `picseek search --text`; photos are searchable by meaning before
            it finishes. --no-ocr turns it off for the folders given (remembered; --ocr turns it
            back on), PICSEEK_OCR=off for every folder; --ocr-only runs only it.
            """)

    @Argument(help: ArgumentHelp("Folders to index.", valueName: "path"))
    var paths: [String] = []

    @OptionGroup var indexing: IndexingOptions

    @Option(help: "Images per model call.")
    var batch = 8

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var precision: PrecisionOptions

    @OptionGroup var ocr: OCROptions

    func run() throws {
        guard batch >= 1 else { throw CLIError("--batch must be at least 1") }
        if ocr.ocrOnly {
            guard ocr.enabled else {
                throw CLIError(
                    "--ocr-only, but reading words is turned off (--no-ocr or PICSEEK_OCR)")
            }
            let store = try database.open()
            let control = IndexControl()
            let interrupt = InterruptHandler { control.cancel() }
            defer { interrupt.stop() }
            guard let report = try ocr.runPass(store: store, control: control) else {
                throw ExitCode(1)
            }
            if report.cancelled { throw ExitCode(interrupt.exitStatus) }
            return
        }
        guard !paths.isEmpty else { throw CLIError("give the folders to index") }
        let roots = try paths.map { try RawPath.typedFolder($0) }
        let imagePrecision = try precision.prepare()
        let store = try database.open()
        try ocr.rememberSwitch(for: roots, store: store)
        if let problem = store.thumbnails.problem {
            printError("warning: " + TerminalSafe.escape(Indexer.thumbnailsNotSaved(problem)))
        }
        let embedder = try loadModel(modelPath: indexing.model, imagePrecision: imagePrecision)
            .embedder
        let processor = ImagePipeline.photoProcessor()
        var options = IndexOptions()
        options.batchSize = batch
        options.scan = indexing.scan

        let control = IndexControl()
        let interrupt = InterruptHandler { control.cancel() }
        defer { interrupt.stop() }
        let indexer = Indexer(
            store: store, embedder: embedder, processor: processor,
            encodeThumbnail: JPEG.thumbnailEncoder, options: options)
        let report = try indexer.runShowingProgress(
            roots: roots, control: control, output: { print($0) }, warn: printError)
        if !report.cancelled, let text = try ocr.runPass(store: store, control: control),
            text.cancelled
        {
            throw ExitCode(interrupt.exitStatus)
        }
        if let skipped = report.skippedLine { print(skipped) }
        if report.cancelled { throw ExitCode(interrupt.exitStatus) }
    }
}
