/// BERT's "basic" tokenizer (clean text, split CJK ideographs, lowercase and strip accents,
/// split punctuation) with the exact semantics of the Python reference
/// (`BasicTokenizer` in transformers / `cn_clip.clip.bert_tokenizer`).
///
/// Works on Unicode scalars, as Python works on code points; returns the words the
/// WordPiece step sees.
struct BertBasicTokenizer: Sendable {
    /// Lowercase and strip accents (`do_lower_case=True`).
    var lowercase = true
    /// Surround CJK ideographs with spaces (`tokenize_chinese_chars=True`).
    var splitChineseCharacters = true

    /// The words of `text`, each an array of scalars.
    func tokenize(_ text: String) -> [[Unicode.Scalar]] {
        var cleaned: [Unicode.Scalar] = []
        cleaned.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if splitChineseCharacters && Self.isChineseCharacter(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        // The reference also applies NFC here; it cannot change the result when lowercasing,
        // because the NFD in `stripAccents` undoes it (NFD(NFC(x)) == NFD(x)).
        var words: [[Unicode.Scalar]] = []
        for var token in Self.splitOnSpace(cleaned) {
            if lowercase {
                token = PythonUnicode.stripAccents(PythonUnicode.lower(token))
            }
            appendSplitOnPunctuation(token, to: &words)
        }
        return words
    }

    /// `_run_split_on_punc` followed by the final whitespace split of the joined tokens.
    private func appendSplitOnPunctuation(_ token: [Unicode.Scalar], to words: inout [[Unicode.Scalar]]) {
        var current: [Unicode.Scalar] = []
        func flush() {
            if !current.isEmpty {
                words.append(contentsOf: Self.splitOnSpace(current))
                current.removeAll(keepingCapacity: true)
            }
        }
        for scalar in token {
            if Self.isPunctuation(scalar) {
                flush()
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        flush()
    }

    /// Python's `text.strip().split()`.
    static func splitOnSpace(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var out: [[Unicode.Scalar]] = []
        var start = -1
        for (index, scalar) in text.enumerated() {
            if PythonUnicode.isSpace(scalar) {
                if start >= 0 {
                    out.append(Array(text[start..<index]))
                    start = -1
                }
            } else if start < 0 {
                start = index
            }
        }
        if start >= 0 { out.append(Array(text[start...])) }
        return out
    }

    /// `_is_whitespace`: space, \t, \n, \r and category Zs.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D: return true
        case 0..<0x80: return false
        default: return PythonUnicode.category(scalar) == .spaceSeparator
        }
    }

    /// `_is_control`: every category C* (Cc, Cf, Co private use, Cn unassigned), except \t,
    /// \n and \r. The reference tests `category.startswith("C")`, so private-use characters
    /// and characters unassigned in its Unicode version are dropped too.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0..<0x20, 0x7F: return true
        case 0x20..<0x7F: return false
        default:
            switch PythonUnicode.category(scalar) {
            case nil, .control, .format, .privateUse, .surrogate, .unassigned: return true
            default: return false
            }
        }
    }

    /// `_is_punctuation`: ASCII 33–47, 58–64, 91–96, 123–126 and every category P*.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        case 0..<0x80: return false
        default:
            switch PythonUnicode.category(scalar) {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation:
                return true
            default:
                return false
            }
        }
    }

    /// `_is_chinese_char`: the CJK Unified Ideographs blocks BERT splits on.
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
            0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
