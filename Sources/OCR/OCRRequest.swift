import PicseekCore

/// The OCR options one command was given (`--no-ocr`, `--ocr`, `--ocr-only`,
/// `--ocr-languages`, `--ocr-budget`), the rules about them and the recognizer they ask for.
public struct OCRRequest: Sendable, Equatable {
    /// `--no-ocr`: do not read words (remembered for the folders given to `index`).
    public var disabled = false
    /// `--ocr`: read the words of the folders given again (after `--no-ocr`).
    public var readAgain = false
    /// `--ocr-only`: only read the words of photos already indexed.
    public var only = false
    /// `--ocr-languages`; nil: `PICSEEK_OCR_LANGUAGES`, else the default.
    public var languages: String?
    /// `--ocr-budget`: most seconds to spend reading one photo.
    public var budgetSeconds = 10.0

    /// A request with every option at its default.
    public init() {}

    /// False when `--no-ocr` or `PICSEEK_OCR` turns the pass off (`OCRSettings.isEnabled`).
    public func isEnabled(environment: [String: String]) -> Bool {
        OCRSettings.isEnabled(disabled: disabled, environment: environment)
    }

    /// What to remember for the folders given: false for `--no-ocr`, true for `--ocr`, nil
    /// for neither; throws when both are given.
    public func folderSwitch() throws(OCRUsageError) -> Bool? {
        guard disabled || readAgain else { return nil }
        guard !(disabled && readAgain) else {
            throw OCRUsageError("give --ocr or --no-ocr, not both")
        }
        return readAgain
    }

    /// Throws when `--ocr-only` is given while the pass is off.
    public func validateForIndex(environment: [String: String]) throws(OCRUsageError) {
        guard only, !isEnabled(environment: environment) else { return }
        throw OCRUsageError("--ocr-only, but reading words is turned off (--no-ocr or PICSEEK_OCR)")
    }

    /// Throws when options only `picseek index` takes (`--ocr-only`, `--ocr`) are given to
    /// `picseek watch`.
    public func validateForWatch() throws(OCRUsageError) {
        if only { throw OCRUsageError("--ocr-only is for picseek index") }
        if readAgain {
            throw OCRUsageError(
                "--ocr is for picseek index: picseek index DIR --ocr reads DIR again")
        }
    }

    /// The options given, as a command line passes them again (the watch service unit).
    public var givenArguments: [String] {
        var arguments: [String] = []
        if disabled { arguments.append("--no-ocr") }
        if let languages { arguments += ["--ocr-languages", languages] }
        if budgetSeconds != 10 { arguments += ["--ocr-budget", String(budgetSeconds)] }
        return arguments
    }

    /// The recognizer the options ask for; nil when the pass is off, or when Tesseract cannot
    /// start (`warn` then gets a line saying why and what to install). Throws when the budget
    /// is not above 0.
    public func makeRecognizer(
        environment: [String: String], warn: (String) -> Void
    ) throws(OCRUsageError) -> TextRecognizer? {
        guard isEnabled(environment: environment) else { return nil }
        guard budgetSeconds > 0 else { throw OCRUsageError("--ocr-budget must be above 0") }
        do {
            return try TextRecognizer(
                languages: OCRSettings.languages(explicit: languages, environment: environment),
                budgetMilliseconds: Int(budgetSeconds * 1000))
        } catch {
            warn(Self.notReadWarning(error))
            return nil
        }
    }

    /// The warning when Tesseract cannot start, its text escaped for the terminal.
    public static func notReadWarning(_ error: OCRError) -> String {
        "warning: words in photos not read: " + TerminalSafe.escape(error.description)
            + " (--no-ocr turns this pass off)"
    }
}

/// OCR options that cannot go together or are out of range; the message names them.
public struct OCRUsageError: Error, Equatable, CustomStringConvertible {
    /// The message.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
