import ArgumentParser
import Foundation
import Imaging
import Library
import OCR
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

    /// The request these options make.
    var request: OCRRequest {
        var request = OCRRequest()
        request.disabled = noOcr
        request.readAgain = readWordsAgain
        request.only = ocrOnly
        request.languages = ocrLanguages
        request.budgetSeconds = ocrBudget
        return request
    }

    /// The OCR pass over `store` when enabled; nil when off or when Tesseract cannot start
    /// (a warning says why and what to install).
    func makePass(store: any PhotoIndex) throws -> TextPass? {
        let recognizer = try request.makeRecognizer(
            environment: ProcessInfo.processInfo.environment, warn: printError)
        guard let recognizer else { return nil }
        return TextPass(store: store, pipeline: ImagePipeline()) { try recognizer.recognize($0) }
    }
}
