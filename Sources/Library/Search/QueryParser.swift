/// One part of a compound query: a text or an image, with a signed weight.
public struct QueryTerm: Equatable, Sendable {
    /// What the term refers to.
    public enum Kind: Equatable, Sendable {
        /// Words to embed with the text tower.
        case text(String)
        /// A photo file to embed with the image tower (path as typed).
        case image(path: String)
    }

    public var kind: Kind
    /// Multiplies the term's unit vector; negative for `- term`.
    public var weight: Float

    public init(_ kind: Kind, weight: Float = 1) {
        self.kind = kind
        self.weight = weight
    }
}

/// Why a query could not be parsed; `offset` counts characters from the start.
public enum QueryParseError: Error, Equatable, CustomStringConvertible {
    case empty
    /// An operator with nothing after it, or two operators in a row.
    case missingTerm(offset: Int)
    /// A `weight:` prefix that is zero or not a number.
    case badWeight(String, offset: Int)
    /// A `"` that is never closed.
    case unclosedQuote(offset: Int)

    public var description: String {
        switch self {
        case .empty: return "empty query"
        case .missingTerm(let offset): return "query: a term is missing at character \(offset + 1)"
        case .badWeight(let text, let offset):
            return "query: weight \"\(text)\" at character \(offset + 1) must be a positive number"
        case .unclosedQuote(let offset):
            return "query: the quote at character \(offset + 1) is never closed"
        }
    }
}

/// Parses compound queries such as `sunset + beach - people`, `2:cat + dog`,
/// `./pool.jpg + "blue water"` or `海边 -人`.
///
/// Grammar, informally:
/// - terms are separated by `+` or `-` standing at the start or after
///   whitespace (`t-shirt` stays one word; `beach -people` subtracts);
/// - a term may start with a weight `N:` (e.g. `2:cat`, `0.5:dog`);
/// - `"…"` quotes text so that `+`, `-` and `:` inside are literal;
/// - a term that starts with `/`, `./`, `../`, `~/` or `file://`, or ends
///   with an image extension, is an image path; anything else is text.
public enum QueryParser {
    /// File extensions that make a term an image path.
    public static let imageExtensions = [
        ".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff",
        ".heic", ".heif", ".avif", ".dng", ".cr2", ".cr3", ".nef", ".nrw", ".arw", ".orf",
        ".rw2", ".raf",
    ]

    /// Splits `text` into weighted terms.
    public static func parse(_ text: String) throws(QueryParseError) -> [QueryTerm] {
        let chars = Array(text)
        if chars.allSatisfy(\.isWhitespace) { throw .empty }
        var terms: [QueryTerm] = []
        var sign: Float = 1
        var i = 0
        var expectTerm = true // an operator was just read (or we are at the start)
        var operatorOffset = 0
        while i < chars.count {
            if chars[i].isWhitespace {
                i += 1
                continue
            }
            let atBoundary = i == 0 || chars[i - 1].isWhitespace
            if atBoundary && (chars[i] == "+" || chars[i] == "-") {
                // An operator: it must follow a term, unless it is the very first sign.
                if expectTerm && !terms.isEmpty { throw .missingTerm(offset: i) }
                if expectTerm && terms.isEmpty && operatorOffset != 0 {
                    throw .missingTerm(offset: i)
                }
                sign = chars[i] == "-" ? -1 : 1
                operatorOffset = i + 1
                expectTerm = true
                i += 1
                continue
            }
            // A term runs to the next operator at a boundary (outside quotes).
            let start = i
            var end = i
            var inQuote = false
            var quoteStart = 0
            while end < chars.count {
                let c = chars[end]
                if c == "\"" {
                    if !inQuote { quoteStart = end }
                    inQuote.toggle()
                } else if !inQuote && (c == "+" || c == "-") && end > start
                    && chars[end - 1].isWhitespace
                {
                    break
                }
                end += 1
            }
            if inQuote { throw .unclosedQuote(offset: quoteStart) }
            let raw = String(chars[start..<end]).trimmingWhitespace()
            terms.append(try term(raw, offset: start, sign: sign))
            sign = 1
            expectTerm = false
            i = end
        }
        if expectTerm { throw terms.isEmpty ? .empty : .missingTerm(offset: chars.count) }
        return terms
    }

    private static func term(_ raw: String, offset: Int, sign: Float) throws(QueryParseError)
        -> QueryTerm
    {
        var body = Substring(raw)
        var weight: Float = 1
        // A weight prefix: digits, optional fraction, then ':' (outside quotes).
        if let colon = body.firstIndex(of: ":"), !body[..<colon].contains("\"") {
            let prefix = body[..<colon]
            if !prefix.isEmpty, prefix.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) {
                guard let value = Float(prefix), value > 0, value.isFinite else {
                    throw .badWeight(String(prefix), offset: offset)
                }
                weight = value
                body = body[body.index(after: colon)...]
            }
        }
        var text = String(body).trimmingWhitespace()
        if text.count >= 2, text.first == "\"", text.last == "\"" {
            text = String(text.dropFirst().dropLast())
        } else {
            text = text.replacingQuotes()
        }
        guard !text.trimmingWhitespace().isEmpty else { throw .missingTerm(offset: offset) }
        let kind: QueryTerm.Kind = isImagePath(text) ? .image(path: text) : .text(text)
        return QueryTerm(kind, weight: sign * weight)
    }

    /// Whether a term names an image file rather than words.
    public static func isImagePath(_ text: String) -> Bool {
        if text.hasPrefix("/") || text.hasPrefix("./") || text.hasPrefix("../")
            || text.hasPrefix("~/") || text.hasPrefix("file://")
        {
            return true
        }
        let lower = text.lowercased()
        return !lower.contains(" ") && imageExtensions.contains { lower.hasSuffix($0) }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        let scalars = Array(self)
        var start = 0
        var end = scalars.count
        while start < end && scalars[start].isWhitespace { start += 1 }
        while end > start && scalars[end - 1].isWhitespace { end -= 1 }
        return String(scalars[start..<end])
    }

    fileprivate func replacingQuotes() -> String {
        String(filter { $0 != "\"" })
    }
}
