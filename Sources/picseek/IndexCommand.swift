import ArgumentParser
import Dispatch
import Foundation
import Imaging
import Library
import OCR
import PicseekCore
import Store
#if canImport(Glibc)
import Glibc
#endif

/// `picseek index PATH...`: add folders to the index and bring it up to date.
struct Index: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index photos under folders; rerun to pick up new, changed, moved and deleted files.",
        discussion: """
            Skips hidden folders and junk (.git, node_modules, @eaDir, .thumbnails, __MACOSX,
            .Trash*, lost+found, …). Safe to interrupt (Ctrl-C or even kill -9): the next run
            continues where this one stopped. Only one indexer may write an index at a time.

            After the vectors, a second pass reads the words in photos (OCR, Tesseract,
            chi_sim+eng) for `picseek search --text`; photos are searchable by meaning before
            it finishes. --no-ocr or PICSEEK_OCR=off turns it off; --ocr-only runs only it.
            """)

    @Argument(help: ArgumentHelp("Folders to index.", valueName: "path"))
    var paths: [String] = []

    @Option(help: ArgumentHelp("Model weights to embed with.", valueName: "path"))
    var model: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Skip files and folders matching this glob (repeatable); a glob with / matches the whole path.",
            valueName: "glob"))
    var exclude: [String] = []

    @Flag(help: "Also index hidden files and folders.")
    var includeHidden = false

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
            if report.cancelled { throw ExitCode(128 + (interrupt.signal ?? SIGINT)) }
            return
        }
        guard !paths.isEmpty else { throw CLIError("give the folders to index") }
        let roots = try paths.map { try canonicalFolder($0) }
        let imagePrecision = try precision.resolve()
        prepareThreads(for: imagePrecision)
        let store = try database.open()
        if let problem = store.thumbnails.problem {
            printError("warning: thumbnails not saved: " + TerminalSafe.escape(problem)
                + " (picseek doctor --repair makes them later)")
        }
        let embedder = try loadEmbedder(modelPath: model, imagePrecision: imagePrecision)
        let processor = try makePhotoProcessor(for: embedder)
        var options = IndexOptions()
        options.batchSize = batch
        options.scan.excludeGlobs = exclude
        options.scan.includeHidden = includeHidden

        let control = IndexControl()
        let interrupt = InterruptHandler { control.cancel() }
        defer { interrupt.stop() }
        let renderer = ProgressRenderer()
        let indexer = Indexer(
            store: store, embedder: embedder, processor: processor,
            encodeThumbnail: encodeJPEGThumbnail, options: options)
        indexer.warn = { text in
            renderer.finish()
            printError("warning: " + TerminalSafe.escape(text))
        }
        let report = try indexer.run(roots: roots, control: control) { renderer.show($0) }
        renderer.finish()
        for problem in report.problems { printError("warning: \(problem)") }
        print(summary(report))
        if !report.cancelled, let text = try ocr.runPass(store: store, control: control),
            text.cancelled
        {
            throw ExitCode(128 + (interrupt.signal ?? SIGINT))
        }
        if !report.skipped.isEmpty {
            let counts = report.skipped.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            let total = counts.reduce(0) { $0 + $1.value }
            print("skipped \(total) file\(total == 1 ? "" : "s") in formats picseek does not read "
                + "(only JPEG, PNG, WebP, GIF and TIFF): " + counts.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        if report.cancelled { throw ExitCode(128 + (interrupt.signal ?? SIGINT)) }
    }

    private func summary(_ r: IndexReport) -> String {
        var parts = ["\(r.scanned) photos found", "\(r.added + r.duplicates) added",
                     "\(r.updated) updated", "\(r.moved) moved", "\(r.removed) removed",
                     "\(r.failed) failed", "\(r.unchanged) unchanged"]
        if r.cancelled { parts.append("interrupted; rerun to continue") }
        return parts.joined(separator: ", ") + String(format: " (%.1f s)", r.seconds)
    }
}

/// Turns SIGINT, SIGTERM and SIGHUP into a cancel request: the indexer finishes the
/// transaction it is in, and the command then exits 130, 143 or 129 (128 + the signal) with
/// the index consistent. A second signal exits at once (committed work is kept either way).
final class InterruptHandler {
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received: Int32?

    /// The first signal received, if any.
    var signal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    init(onInterrupt: @escaping () -> Void) {
        for number in Self.signals {
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in
                lock.lock()
                let first = received == nil
                if first { received = number }
                lock.unlock()
                if !first { exit(128 + number) }
                let name = number == SIGINT
                    ? "interrupted" : number == SIGTERM ? "terminated" : "hung up"
                let again = number == SIGINT ? " (Ctrl-C again to quit now)" : ""
                printError("\n\(name): finishing the current batch\(again)")
                onInterrupt()
            }
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        for number in Self.signals { Glibc.signal(number, SIG_DFL) }
    }
}

/// Draws indexing progress: a bar on a terminal, plain lines otherwise.
final class ProgressRenderer {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastDraw = Date.distantPast
    private var lastLine = Date()
    private var drewBar = false
    private var lastPhase: IndexProgress.Phase?

    func show(_ p: IndexProgress) {
        let now = Date()
        let phaseChanged = p.phase != lastPhase
        lastPhase = p.phase
        if isTerminal {
            guard phaseChanged || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            drawBar(p)
        } else if phaseChanged || now.timeIntervalSince(lastLine) >= 5 {
            lastLine = now
            printError(plainLine(p))
        }
    }

    func finish() {
        if isTerminal && drewBar { FileHandle.standardError.write(Data("\r\u{1b}[K".utf8)) }
    }

    private func plainLine(_ p: IndexProgress) -> String {
        switch p.phase {
        case .scanning: return "scanning: \(p.scanned) photos found"
        case .indexing:
            return "indexing: \(p.done)/\(p.total), \(p.failed) failed, "
                + String(format: "%.1f/s", p.rate) + (p.eta.map { ", eta " + duration($0) } ?? "")
        case .removing: return "removing entries of deleted files"
        case .finished: return "done"
        }
    }

    private func drawBar(_ p: IndexProgress) {
        let width = terminalWidth()
        var line: String
        switch p.phase {
        case .indexing where p.total > 0:
            line = ProgressBar.render(done: Int64(p.done), total: Int64(p.total), width: 24) + " "
                + "\(p.done)/\(p.total) " + String(format: "%.1f/s", p.rate)
                + (p.eta.map { " eta " + duration($0) } ?? "")
                + (p.failed > 0 ? " \(p.failed) failed" : "")
            if let current = p.current {
                line += "  " + RawPath.display(RawPath.baseName(current))
            }
        default:
            line = plainLine(p)
        }
        // Cut to the terminal width (by characters; wide glyphs may still wrap).
        if line.count > width - 1 { line = String(line.prefix(max(10, width - 1))) }
        FileHandle.standardError.write(Data(("\r" + line + "\u{1b}[K").utf8))
        drewBar = true
    }

    private func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return 80
    }

    private func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }
}
