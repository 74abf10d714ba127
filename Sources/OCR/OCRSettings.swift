/// Whether the OCR pass runs and with which Tesseract languages, from the options and the
/// environment (`PICSEEK_OCR`, `PICSEEK_OCR_LANGUAGES`).
public enum OCRSettings {
    /// False when `disabled` (`--no-ocr`) or `PICSEEK_OCR` is `off`, `0`, `no` or `false`
    /// (in any case).
    public static func isEnabled(disabled: Bool, environment: [String: String]) -> Bool {
        if disabled { return false }
        let value = environment["PICSEEK_OCR"]?.lowercased() ?? ""
        return !["off", "0", "no", "false"].contains(value)
    }

    /// The languages given (`--ocr-languages`), else `PICSEEK_OCR_LANGUAGES` when set and
    /// not empty, else `TextRecognizer.defaultLanguages`.
    public static func languages(explicit: String?, environment: [String: String]) -> String {
        if let explicit { return explicit }
        let value = environment["PICSEEK_OCR_LANGUAGES"] ?? ""
        return value.isEmpty ? TextRecognizer.defaultLanguages : value
    }
}
