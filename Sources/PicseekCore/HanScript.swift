/// Chinese characters in text: what picks the Chinese prompt template when a
/// query's language is detected rather than chosen.
public enum HanScript {
    /// Whether `text` contains any CJK ideograph (the unified blocks, their
    /// extensions and the compatibility ideographs).
    public static func contains(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F:
                return true
            default: continue
            }
        }
        return false
    }
}
