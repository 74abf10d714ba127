import ArgumentParser
import Foundation
import Library
import PicseekCore
import Store

/// `picseek index PATH...`: add folders to the index and bring it up to date.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract:
            "Index photos under folders; rerun to pick up new, changed, moved and deleted files.",
        discussion: """
            Skips hidden folders and junk (.git, node_modules, @eaDir, .thumbnails, __MACOSX,
            .Trash*, lost+found, …). Safe to interrupt (Ctrl-C or even kill -9): the next run
            continues where this one stopped. Only one indexer may write an SQLite index at a
            time; indexers on several machines share the work of a PostgreSQL index by folder.

            After the vectors, a second pass reads the words in photos (OCR, Tesseract,
            chi_sim+eng) for `picseek search --text`; photos are searchable by meaning before
            it finishes. --no-ocr turns it off for the folders given (remembered; --ocr turns it
            back on), PICSEEK_OCR=off for every folder; --ocr-only runs only it.

            --root-name NAME (PostgreSQL indexes) names the folder given as a root that several
            machines mount at different places: its photos are stored relative to it, and each
            machine's mount point is recorded (PICSEEK_HOST overrides the machine's name). Run it
            once on each machine with that machine's folder; later runs of `picseek index
            FOLDER` keep the name.
            """)

    @Argument(help: ArgumentHelp("Folders to index.", valueName: "path"))
    var paths: [String] = []

    @OptionGroup var indexing: IndexingOptions

    @Option(
        help: ArgumentHelp(
            "Name the folder as a root shared by several machines (PostgreSQL indexes).",
            valueName: "name"))
    var rootName: String?

    @Option(help: "Images per model call.")
    var batch = 8

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var precision: PrecisionOptions

    @OptionGroup var ocr: OCROptions

    func run() throws {
        guard batch >= 1 else { throw CLIError("--batch must be at least 1") }
        if ocr.ocrOnly {
            try ocr.request.validateForIndex(environment: ProcessInfo.processInfo.environment)
            let store = try database.open()
            let control = IndexControl()
            let interrupt = InterruptHandler { control.cancel() }
            defer { interrupt.stop() }
            guard let pass = try ocr.makePass(store: store) else { throw ExitCode(1) }
            if try pass.runShowingProgress(control: control, output: { print($0) }).cancelled {
                throw ExitCode(interrupt.exitStatus)
            }
            return
        }
        guard !paths.isEmpty else { throw CLIError("give the folders to index") }
        let roots = try paths.map { try RawPath.typedFolder($0) }
        if let rootName {
            guard roots.count == 1 else { throw CLIError("--root-name names one folder") }
            try RootPaths.validate(name: rootName)
        }
        let imagePrecision = try precision.prepare()
        let store = try database.open()
        if let rootName, let root = roots.first {
            try Indexer.nameRoot(root, name: rootName, store: store)
        }
        if let readsWords = try ocr.request.folderSwitch() {
            try TextPass.remember(readsWords: readsWords, roots: roots, store: store)
        }
        if let problem = store.thumbnails.problem {
            printError("warning: " + TerminalSafe.escape(Indexer.thumbnailsNotSaved(problem)))
        }
        let indexer = try makeIndexer(
            store: store, indexing: indexing, imagePrecision: imagePrecision, batchSize: batch)
        let control = IndexControl()
        let interrupt = InterruptHandler { control.cancel() }
        defer { interrupt.stop() }
        let report = try indexer.runShowingProgress(
            roots: roots, control: control, output: { print($0) }, warn: printError)
        if !report.cancelled, let pass = try ocr.makePass(store: store),
            try pass.runShowingProgress(control: control, output: { print($0) }).cancelled
        {
            throw ExitCode(interrupt.exitStatus)
        }
        if let skipped = report.skippedLine { print(skipped) }
        if report.cancelled { throw ExitCode(interrupt.exitStatus) }
        // The vector cache, so the next search starts at once.
        for note in try SearchEngine.updateVectorCaches(store: store) { printError(note) }
    }
}
