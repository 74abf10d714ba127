/// Why text recognition could not run.
public enum OCRError: Error, Equatable, CustomStringConvertible {
    /// A language's `.traineddata` file is not installed.
    case languageDataMissing(language: String, directory: String, package: String)
    /// A language name that is not `[a-z_]+`.
    case invalidLanguage(String)
    /// Tesseract refused to start.
    case engineFailed(languages: String, message: String)
    /// Recognition of one image failed.
    case recognitionFailed(message: String)

    public var description: String {
        switch self {
        case .languageDataMissing(let language, let directory, let package):
            return "tesseract language data \(language).traineddata not found in \(directory): "
                + "install the Debian package \(package) (apt-get install \(package))"
        case .invalidLanguage(let name):
            return "ocr language \"\(name)\" is not a tesseract language name (e.g. chi_sim, eng)"
        case .engineFailed(let languages, let message):
            return "tesseract for \(languages): \(message)"
        case .recognitionFailed(let message):
            return "text recognition: \(message)"
        }
    }
}
