import Foundation

/// One normalizer of a `tokenizer.json` ("normalizer" field), applied to the whole text.
enum TextNormalizer: Sendable {
    case sequence([TextNormalizer])
    case precompiled(PrecompiledCharsmap)
    /// Replace every non-overlapping occurrence of a literal string.
    case replaceLiteral(pattern: [Unicode.Scalar], content: String)
    /// Replace every non-overlapping match of a regular expression.
    case replaceRegex(pattern: String, content: String)
    /// Replace every run of at least `minimum` copies of `scalar` (the regex `"c{n,}"`).
    case replaceRun(scalar: Unicode.Scalar, minimum: Int, content: String)
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
                throw TokenizerError.malformedJSON(
                    path: path, reason: "Sequence normalizer without normalizers")
            }
            return .sequence(try items.map { try make($0, path: path) })
        case "Precompiled":
            guard let encoded = json["precompiled_charsmap"]?.string else {
                // `tokenizers` accepts an absent/null charsmap as "no rules".
                return .sequence([])
            }
            guard let data = Data(base64Encoded: encoded) else {
                throw TokenizerError.invalidValue(
                    path: path, reason: "precompiled_charsmap is not base64")
            }
            if data.isEmpty { return .sequence([]) }
            do {
                return .precompiled(try PrecompiledCharsmap(blob: [UInt8](data)))
            } catch {
                throw TokenizerError.invalidValue(path: path, reason: error.reason)
            }
        case "Replace":
            guard let content = json["content"]?.string, let pattern = json["pattern"] else {
                throw TokenizerError.malformedJSON(
                    path: path, reason: "Replace normalizer without pattern or content")
            }
            if let literal = pattern["String"]?.string {
                return .replaceLiteral(pattern: Array(literal.unicodeScalars), content: content)
            }
            if let regex = pattern["Regex"]?.string {
                if let run = runPattern(regex) {
                    return .replaceRun(scalar: run.scalar, minimum: run.minimum, content: content)
                }
                guard (try? Regex(regex)) != nil else {
                    throw TokenizerError.unsupported(
                        path: path, component: "Replace regex", type: regex)
                }
                return .replaceRegex(pattern: regex, content: content)
            }
            throw TokenizerError.malformedJSON(
                path: path, reason: "Replace pattern is neither String nor Regex")
        case "Strip":
            return .strip(
                left: json["strip_left"]?.bool ?? true, right: json["strip_right"]?.bool ?? true)
        case "NFC": return .nfc
        case "NFD": return .nfd
        case "NFKC": return .nfkc
        case "NFKD": return .nfkd
        case "Lowercase": return .lowercase
        case "Prepend":
            guard let prefix = json["prepend"]?.string else {
                throw TokenizerError.malformedJSON(
                    path: path, reason: "Prepend normalizer without prepend")
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
        case .replaceRun(let scalar, let minimum, let content):
            var out = String.UnicodeScalarView()
            var run = 0
            func flush() {
                if run >= minimum {
                    out.append(contentsOf: content.unicodeScalars)
                } else {
                    for _ in 0..<run { out.append(scalar) }
                }
                run = 0
            }
            for current in text.unicodeScalars {
                if current == scalar {
                    run += 1
                } else {
                    flush()
                    out.append(current)
                }
            }
            flush()
            return String(out)
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
        case .nfc: return Self.normalize(text, compatibility: false, compose: true)
        case .nfd: return Self.normalize(text, compatibility: false, compose: false)
        case .nfkc: return Self.normalize(text, compatibility: true, compose: true)
        case .nfkd: return Self.normalize(text, compatibility: true, compose: false)
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

    /// The Unicode version of the normalization tables in `tokenizers` (its
    /// `unicode-normalization-alignments` crate): characters assigned later are left alone
    /// (no decomposition, combining class 0). Measured against `tokenizers` 0.23.3: combining
    /// classes of Unicode 10.0 characters (U+1DF6) are unknown to it, and no character of
    /// 10.0 or 11.0 has a decomposition.
    static let normalizationVersion = (major: 9, minor: 0)

    /// Unicode normalization with the `tokenizers` crate's semantics.
    ///
    /// Text is normalized in runs between characters newer than `normalizationVersion`, which
    /// pass through unchanged. Composition is applied to a full decomposition because
    /// Foundation's composing forms skip some compositions across its own segments (they leave
    /// U+FF8A U+FF9F as "パ", not "パ"); NFC(x) = compose(NFD(x)), NFKC(x) = compose(NFKD(x)).
    static func normalize(_ text: String, compatibility: Bool, compose: Bool) -> String {
        func isNew(_ scalar: Unicode.Scalar) -> Bool {
            guard scalar.value >= 0x0800 else { return false }
            guard let age = scalar.properties.age else { return true }
            return age.major > normalizationVersion.major
                || (age.major == normalizationVersion.major
                    && age.minor > normalizationVersion.minor)
        }
        func run(_ part: String) -> String {
            let decomposed =
                compatibility
                ? part.decomposedStringWithCompatibilityMapping
                : part.decomposedStringWithCanonicalMapping
            return compose ? canonicalCompose(decomposed) : decomposed
        }
        guard text.unicodeScalars.contains(where: isNew) else { return run(text) }
        var out = String.UnicodeScalarView()
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isNew(scalar) {
                out.append(contentsOf: run(String(current)).unicodeScalars)
                current.removeAll()
                out.append(scalar)
            } else {
                current.append(scalar)
            }
        }
        out.append(contentsOf: run(String(current)).unicodeScalars)
        return String(out)
    }

    /// The primary composites whose first character is outside the BMP (UnicodeData.txt):
    /// `(first, second) -> composite`.
    static let supplementaryCompositions: [UInt64: UInt32] = {
        let pairs: [(UInt32, UInt32, UInt32)] = [
            (0x11099, 0x110BA, 0x1109A), (0x1109B, 0x110BA, 0x1109C), (0x110A5, 0x110BA, 0x110AB),
            (0x11131, 0x11127, 0x1112E), (0x11132, 0x11127, 0x1112F), (0x11347, 0x1133E, 0x1134B),
            (0x11347, 0x11357, 0x1134C), (0x114B9, 0x114BA, 0x114BB), (0x114B9, 0x114B0, 0x114BC),
            (0x114B9, 0x114BD, 0x114BE), (0x115B8, 0x115AF, 0x115BA), (0x115B9, 0x115AF, 0x115BB),
            (0x11935, 0x11930, 0x11938),
        ]
        var table: [UInt64: UInt32] = [:]
        for (first, second, composite) in pairs {
            table[UInt64(first) << 32 | UInt64(second)] = composite
        }
        return table
    }()

    /// Canonical composition of an already decomposed string.
    ///
    /// Foundation's `precomposedStringWithCanonicalMapping` looks up a starter outside the BMP
    /// by its low 16 bits (it composes U+1006B U+0327 into "ķ"), so each such starter and the
    /// marks after it are composed here with `supplementaryCompositions`; Foundation only
    /// sees runs that start in the BMP.
    static func canonicalCompose(_ decomposed: String) -> String {
        let scalars = Array(decomposed.unicodeScalars)
        guard scalars.contains(where: { $0.value > 0xFFFF }) else {
            return decomposed.precomposedStringWithCanonicalMapping
        }
        var out = String.UnicodeScalarView()
        var run = String.UnicodeScalarView()
        func flushRun() {
            if !run.isEmpty {
                out.append(
                    contentsOf: String(run).precomposedStringWithCanonicalMapping.unicodeScalars)
                run.removeAll()
            }
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar.value > 0xFFFF, scalar.properties.canonicalCombiningClass.rawValue == 0
            else {
                run.append(scalar)
                index += 1
                continue
            }
            flushRun()
            var starter = scalar.value
            var marks: [Unicode.Scalar] = []
            var lastClass: UInt8 = 0
            index += 1
            while index < scalars.count {
                let next = scalars[index]
                let nextClass = next.properties.canonicalCombiningClass.rawValue
                let notBlocked = marks.isEmpty || (nextClass != 0 && lastClass < nextClass)
                if notBlocked,
                    let composite = supplementaryCompositions[
                        UInt64(starter) << 32 | UInt64(next.value)]
                {
                    starter = composite
                    index += 1
                    continue
                }
                if nextClass == 0 { break }
                marks.append(next)
                lastClass = nextClass
                index += 1
            }
            if let composed = Unicode.Scalar(starter) { out.append(composed) }
            out.append(contentsOf: marks)
        }
        flushRun()
        return String(out)
    }

    /// `(c, n)` for a regex of the form `c{n,}` with `c` a character that is not a regex
    /// metacharacter (XLM-R's `" {2,}"`), else nil.
    static func runPattern(_ regex: String) -> (scalar: Unicode.Scalar, minimum: Int)? {
        let scalars = Array(regex.unicodeScalars)
        guard scalars.count >= 5, scalars[1] == "{", scalars[scalars.count - 2] == ",",
            scalars[scalars.count - 1] == "}",
            !"\\^$.|?*+()[]{}".unicodeScalars.contains(scalars[0]),
            let minimum = Int(String(String.UnicodeScalarView(scalars[2..<(scalars.count - 2)]))),
            minimum >= 1
        else { return nil }
        return (scalars[0], minimum)
    }

    /// Left-to-right, non-overlapping replacement of a literal scalar sequence (no grapheme
    /// semantics: a space before a combining mark still matches " ").
    static func replace(_ pattern: [Unicode.Scalar], with content: String, in text: String)
        -> String
    {
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
