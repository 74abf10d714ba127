import Foundation

/// One normalizer of a `tokenizer.json` ("normalizer" field), applied to the whole text.
enum TextNormalizer: Sendable {
    case sequence([TextNormalizer])
    case precompiled(PrecompiledCharsmap)
    /// Replace every non-overlapping occurrence of a literal string.
    case replaceLiteral(pattern: [Unicode.Scalar], content: String)
    /// Replace every non-overlapping match of a regular expression.
    case replaceRegex(pattern: String, content: String)
    case strip(left: Bool, right: Bool)
    case nfc, nfd, nfkc, nfkd
    case lowercase
    case prepend(String)

    /// Builds the normalizer described by `json`; `path` names the file in errors.
    static func make(_ json: JSONValue, path: String) throws -> TextNormalizer {
        guard let type = json["type"]?.string else {
            throw TokenizerError.malformedJSON(path: path, reason: "normalizer without a type")
        }
        switch type {
        case "Sequence":
            guard let items = json["normalizers"]?.array else {
                throw TokenizerError.malformedJSON(path: path, reason: "Sequence normalizer without normalizers")
            }
            return .sequence(try items.map { try make($0, path: path) })
        case "Precompiled":
            guard let encoded = json["precompiled_charsmap"]?.string else {
                // `tokenizers` accepts an absent/null charsmap as "no rules".
                return .sequence([])
            }
            guard let data = Data(base64Encoded: encoded) else {
                throw TokenizerError.invalidValue(path: path, reason: "precompiled_charsmap is not base64")
            }
            if data.isEmpty { return .sequence([]) }
            do {
                return .precompiled(try PrecompiledCharsmap(blob: [UInt8](data)))
            } catch {
                throw TokenizerError.invalidValue(path: path, reason: error.reason)
            }
        case "Replace":
            guard let content = json["content"]?.string, let pattern = json["pattern"] else {
                throw TokenizerError.malformedJSON(path: path, reason: "Replace normalizer without pattern or content")
            }
            if let literal = pattern["String"]?.string {
                return .replaceLiteral(pattern: Array(literal.unicodeScalars), content: content)
            }
            if let regex = pattern["Regex"]?.string {
                guard (try? Regex(regex)) != nil else {
                    throw TokenizerError.unsupported(path: path, component: "Replace regex", type: regex)
                }
                return .replaceRegex(pattern: regex, content: content)
            }
            throw TokenizerError.malformedJSON(path: path, reason: "Replace pattern is neither String nor Regex")
        case "Strip":
            return .strip(left: json["strip_left"]?.bool ?? true, right: json["strip_right"]?.bool ?? true)
        case "NFC": return .nfc
        case "NFD": return .nfd
        case "NFKC": return .nfkc
        case "NFKD": return .nfkd
        case "Lowercase": return .lowercase
        case "Prepend":
            guard let prefix = json["prepend"]?.string else {
                throw TokenizerError.malformedJSON(path: path, reason: "Prepend normalizer without prepend")
            }
            return .prepend(prefix)
        default:
            throw TokenizerError.unsupported(path: path, component: "normalizer", type: type)
        }
    }

    /// `text` normalized.
    func apply(_ text: String) -> String {
        switch self {
        case .sequence(let items):
            return items.reduce(text) { $1.apply($0) }
        case .precompiled(let charsmap):
            return charsmap.normalize(text)
        case .replaceLiteral(let pattern, let content):
            return Self.replace(pattern, with: content, in: text)
        case .replaceRegex(let pattern, let content):
            guard let regex = try? Regex(pattern) else { return text }
            return text.replacing(regex.matchingSemantics(.unicodeScalar), with: content)
        case .strip(let left, let right):
            var scalars = Array(text.unicodeScalars)
            if right {
                while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
            }
            var start = 0
            if left {
                while start < scalars.count && scalars[start].properties.isWhitespace { start += 1 }
            }
            var out = String.UnicodeScalarView()
            out.append(contentsOf: scalars[start...])
            return String(out)
        case .nfc: return text.precomposedStringWithCanonicalMapping
        case .nfd: return text.decomposedStringWithCanonicalMapping
        case .nfkc: return text.precomposedStringWithCompatibilityMapping
        case .nfkd: return text.decomposedStringWithCompatibilityMapping
        case .lowercase:
            // Rust's `char::to_lowercase`, one character at a time (no final-sigma context).
            var out = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
            return String(out)
        case .prepend(let prefix):
            return text.isEmpty ? text : prefix + text
        }
    }

    /// Left-to-right, non-overlapping replacement of a literal scalar sequence (no grapheme
    /// semantics: a space before a combining mark still matches " ").
    static func replace(_ pattern: [Unicode.Scalar], with content: String, in text: String) -> String {
        guard !pattern.isEmpty else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if index + pattern.count <= scalars.count && scalars[index] == pattern[0]
                && Array(scalars[index..<index + pattern.count]) == pattern
            {
                out.append(contentsOf: content.unicodeScalars)
                index += pattern.count
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return String(out)
    }
}
