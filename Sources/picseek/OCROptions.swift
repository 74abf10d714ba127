import ArgumentParser
import Foundation
import Imaging
import Library
import OCR
import PicseekCore
import Store

/// The OCR pass's switches, shared by `index` (and the runtime that indexes).
struct OCROptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Do not read the words in photos (also: PICSEEK_OCR=off); with index, remembered "
                + "for the folders given."))
    var noOcr = false

    @Flag(
        name: .customLong("ocr"),
        help: "Read the words in photos under the folders given again (after --no-ocr).")
    var readWordsAgain = false

    @Flag(help: "Only read the words in photos already indexed (no scan, no model).")
    var ocrOnly = false

    @Option(
        help: ArgumentHelp(
            "Tesseract languages for words in photos "
                + "(default: $PICSEEK_OCR_LANGUAGES, else chi_sim+eng).",
            valueName: "langs"))
    var ocrLanguages: String?

    @Option(help: ArgumentHelp("Most seconds to spend reading one photo.", valueName: "seconds"))
    var ocrBudget: Double = 10

    /// False when `--no-ocr` or `PICSEEK_OCR` is `off`, `0`, `no` or `false`.
    var enabled: Bool {
        OCRSettings.isEnabled(disabled: noOcr, environment: ProcessInfo.processInfo.environment)
    }

    /// Remembers `--no-ocr` (off) or `--ocr` (on) for each of `roots`; nothing without them.
    func rememberSwitch(for roots: [[UInt8]], store: IndexStore) throws {
        guard noOcr || readWordsAgain else { return }
        guard !(noOcr && readWordsAgain) else { throw CLIError("give --ocr or --no-ocr, not both") }
        for root in roots {
            try store.addRoot(root)
            try store.setReadsWords(readWordsAgain, root: root)
        }
    }

    /// The options given, as a command line passes them again (the watch service unit).
    var givenArguments: [String] {
        var arguments: [String] = []
        if noOcr { arguments.append("--no-ocr") }
        if let ocrLanguages { arguments += ["--ocr-languages", ocrLanguages] }
        if ocrBudget != 10 { arguments += ["--ocr-budget", String(ocrBudget)] }
        return arguments
    }

    var languages: String {
        OCRSettings.languages(
            explicit: ocrLanguages, environment: ProcessInfo.processInfo.environment)
    }

    /// Runs the OCR pass when enabled, showing progress on stderr; nil when off or when
    /// Tesseract cannot start (a warning says why and what to install).
    func runPass(store: IndexStore, control: IndexControl) throws -> TextPass.Report? {
        guard let pass = try makePass(store: store) else { return nil }
        return try pass.runShowingProgress(control: control) { print($0) }
    }

    /// The OCR pass over `store` when enabled; nil when off or when Tesseract cannot start
    /// (a warning says why and what to install).
    func makePass(store: IndexStore) throws -> TextPass? {
        guard enabled else { return nil }
        guard ocrBudget > 0 else { throw CLIError("--ocr-budget must be above 0") }
        let recognizer: TextRecognizer
        do {
            recognizer = try TextRecognizer(
                languages: languages, budgetMilliseconds: Int(ocrBudget * 1000))
        } catch {
            printError(
                "warning: words in photos not read: "
                    + TerminalSafe.escape(error.description) + " (--no-ocr turns this pass off)")
            return nil
        }
        return TextPass(store: store, pipeline: ImagePipeline()) { image in
            try recognizer.recognize(image)
        }
    }
}
