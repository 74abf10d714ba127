import CTesseract
import Foundation
import PicseekCore

/// Reads printed text from grey images with Tesseract (libtesseract's C API).
///
/// One instance holds one initialised engine and is not safe to use from two threads
/// at once; make one per thread. Languages are Tesseract names joined by `+`,
/// `chi_sim+eng` by default.
public final class TextRecognizer {
    /// The default languages: simplified Chinese and English.
    public static let defaultLanguages = "chi_sim+eng"
    /// Where Debian 12 installs language data (`tesseract-ocr-*` packages).
    public static let debianDataDirectory = "/usr/share/tesseract-ocr/5/tessdata"

    /// The languages this engine reads, e.g. `chi_sim+eng`.
    public let languages: String
    /// The most milliseconds one image may take; 0 for no limit.
    public var budgetMilliseconds: Int
    private let engine: OpaquePointer

    /// Starts an engine for `languages`, with data from `dataDirectory` (default
    /// `$TESSDATA_PREFIX`, else Debian's directory). Throws
    /// `OCRError.languageDataMissing` naming the package to install when a language's
    /// data file is absent. The corresponding C function is `cocr_create`.
    public init(
        languages: String = TextRecognizer.defaultLanguages, dataDirectory: String? = nil,
        budgetMilliseconds: Int = 10_000
    ) throws(OCRError) {
        let directory = dataDirectory ?? Self.dataDirectory()
        let names = languages.split(separator: "+").map(String.init)
        guard !names.isEmpty else { throw .invalidLanguage(languages) }
        for name in names {
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || ($0.isASCII && $0.isLetter) })
            else { throw .invalidLanguage(name) }
            let file = directory + "/" + name + ".traineddata"
            if !FileManager.default.fileExists(atPath: file) {
                throw .languageDataMissing(
                    language: name, directory: directory, package: Self.package(for: name))
            }
        }
        var message = [CChar](repeating: 0, count: 512)
        guard let engine = cocr_create(directory, languages, &message, message.count) else {
            throw .engineFailed(languages: languages, message: Self.string(message))
        }
        self.engine = engine
        self.languages = languages
        self.budgetMilliseconds = budgetMilliseconds
    }

    deinit { cocr_destroy(engine) }

    /// The directory Tesseract's language data is read from: `$TESSDATA_PREFIX` when set,
    /// else Debian's.
    public static func dataDirectory() -> String {
        if let prefix = ProcessInfo.processInfo.environment["TESSDATA_PREFIX"], !prefix.isEmpty {
            return prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        }
        return debianDataDirectory
    }

    /// The Debian package holding a language's data: `chi_sim` → `tesseract-ocr-chi-sim`.
    public static func package(for language: String) -> String {
        "tesseract-ocr-" + language.lowercased().replacingOccurrences(of: "_", with: "-")
    }

    /// The linked Tesseract version. The corresponding C function is `TessVersion`.
    public static var version: String { String(cString: cocr_version()) }

    /// Reads the words in `image`, with boxes in its pixels and confidences 0–100.
    /// The corresponding C function is `cocr_recognize`.
    public func recognize(_ image: GreyImage) throws(OCRError) -> RecognizedText {
        var words: UnsafeMutablePointer<cocr_word>?
        var count: Int32 = 0
        var timedOut: Int32 = 0
        var message = [CChar](repeating: 0, count: 512)
        let status = image.pixels.withUnsafeBufferPointer { buffer in
            cocr_recognize(
                engine, buffer.baseAddress, Int32(image.width), Int32(image.height),
                Int32(image.width), Int32(budgetMilliseconds), &words, &count, &timedOut,
                &message, message.count)
        }
        guard status == 0 else { throw .recognitionFailed(message: Self.string(message)) }
        defer { cocr_free_words(words, count) }
        var out: [RecognizedWord] = []
        if let words {
            out.reserveCapacity(Int(count))
            for i in 0..<Int(count) {
                let w = words[i]
                guard let cText = w.text else { continue }
                let text = String(cString: cText).trimmingCharacters(in: .whitespacesAndNewlines)
                if text.isEmpty { continue }
                out.append(
                    RecognizedWord(
                        text: text, confidence: w.confidence, x: Int(w.left), y: Int(w.top),
                        width: Int(w.width), height: Int(w.height), line: Int(w.line)))
            }
        }
        return RecognizedText(words: out, languages: languages, timedOut: timedOut != 0)
    }

    /// The number of blocks Tesseract's layout analysis alone (no recognition) takes for
    /// text in `image`: a text-presence check, measured by `picseek bench ocr` (the pass does
    /// not use it: it did not pay). The corresponding C function is `cocr_count_text_blocks`.
    public func textBlocks(_ image: GreyImage) -> Int {
        image.pixels.withUnsafeBufferPointer { buffer in
            Int(
                cocr_count_text_blocks(
                    engine, buffer.baseAddress, Int32(image.width), Int32(image.height),
                    Int32(image.width)))
        }
    }

    private static func string(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
