#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small, strict JSON parser over UTF-8 bytes.
///
/// `tokenizer.json` files hold hundreds of thousands of `[piece, score]` pairs; this parser
/// reads them in one pass without Foundation's object graph. It accepts exactly RFC 8259 JSON
/// (no comments, no trailing commas) and reports the byte offset of the first error.
struct JSONParser {
    struct Failure: Error {
        let offset: Int
        let reason: String
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private static let maxDepth = 512

    /// Parses `bytes` as one JSON document.
    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == bytes.count else {
            throw Failure(offset: parser.index, reason: "unexpected data after the document")
        }
        return value
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func fail(_ reason: String) -> Failure {
        Failure(offset: index, reason: reason)
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw fail("unexpected end of data") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        default: throw fail("unexpected character")
        }
    }

    private mutating func expectLiteral(_ literal: String) throws(Failure) {
        let expected = Array(literal.utf8)
        guard index + expected.count <= bytes.count else { throw fail("unexpected end of data") }
        for offset in 0..<expected.count where bytes[index + offset] != expected[offset] {
            throw fail("invalid literal")
        }
        index += expected.count
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maxDepth { throw fail("nesting deeper than \(Self.maxDepth)") }
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail("expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw fail("expected ':'")
            }
            index += 1
            skipWhitespace()
            members[key] = try parseValue()
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of data in an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            } else {
                throw fail("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        let start = index
        if let pairs = try parsePairs() { return .pairs(pairs) }
        index = start
        return try parseGenericArray()
    }

    /// Fast path for an array of `[string, number]` pairs; nil (with `index` to be reset by
    /// the caller) as soon as an element does not have that shape.
    private mutating func parsePairs() throws(Failure) -> StringNumberPairs? {
        let start = index
        index += 1
        var pairs = StringNumberPairs()
        var scratch: [UInt8] = []
        func byte(_ ascii: Unicode.Scalar) -> UInt8 { UInt8(ascii: ascii) }
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte("[") else { return nil }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte("[") else { return nil }
            index += 1
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte("\"") else { return nil }
            scratch.removeAll(keepingCapacity: true)
            try parseStringBytes(into: &scratch)
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte(",") else { return nil }
            index += 1
            skipWhitespace()
            guard index < bytes.count,
                bytes[index] == byte("-") || (bytes[index] >= 0x30 && bytes[index] <= 0x39)
            else { return nil }
            let number = try parseNumber()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte("]") else { return nil }
            index += 1
            pairs.append(scratch[...], number)
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of data in an array") }
            if bytes[index] == byte(",") {
                index += 1
            } else if bytes[index] == byte("]") {
                index += 1
                try Self.validate(pairs, at: start)
                return pairs
            } else {
                throw fail("expected ',' or ']'")
            }
        }
    }

    /// Checks that every string of `pairs` is valid UTF-8: the concatenation is valid and no
    /// string starts with a continuation byte, so each cut falls between characters.
    private static func validate(_ pairs: StringNumberPairs, at offset: Int) throws(Failure) {
        let bytes = pairs.bytes
        for i in 0..<pairs.count {
            let start = Int(pairs.starts[i])
            if start < bytes.count && start < Int(pairs.starts[i + 1])
                && bytes[start] & 0xC0 == 0x80
            {
                throw Failure(offset: offset, reason: "invalid UTF-8 in string \(i) of an array")
            }
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw Failure(offset: offset, reason: "invalid UTF-8 in an array of strings")
        }
    }

    /// Parses a string at `index` and appends its UTF-8 bytes (validated) to `out`.
    private mutating func parseStringBytes(into out: inout [UInt8]) throws(Failure) {
        let start = index + 1
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") {
                // Validated for the whole table in `parsePairs`.
                out.append(contentsOf: bytes[start..<end])
                index = end + 1
                return
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            end += 1
        }
        let text = try parseString()
        out.append(contentsOf: text.utf8)
    }

    private mutating func parseGenericArray() throws(Failure) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of data in an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            } else {
                throw fail("expected ',' or ']'")
            }
        }
    }

    private mutating func parseNumber() throws(Failure) -> Double {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits() -> Int {
            let from = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - from
        }
        guard index < bytes.count else { throw fail("invalid number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            throw fail("invalid number")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw fail("invalid number") }
        }
        if index < bytes.count,
            bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")
        {
            index += 1
            if index < bytes.count,
                bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")
            {
                index += 1
            }
            guard digits() > 0 else { throw fail("invalid number") }
        }
        if let value = fastDouble(start, index) { return value }
        if let value = cDouble(start, index) { return value }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text) else {
            throw Failure(offset: start, reason: "invalid number")
        }
        return value
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Exact conversion of an already validated number when its significand has at most 15
    /// digits and its decimal exponent at most 22 (both operands exact, one rounding), else nil.
    private func fastDouble(_ start: Int, _ end: Int) -> Double? {
        var i = start
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var seenPoint = false
        while i < end {
            let byte = bytes[i]
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else if byte >= 0x30 && byte <= 0x39 {
                if mantissa != 0 || byte != 0x30 { digits += 1 }
                if digits > 15 { return nil }
                mantissa = mantissa * 10 + UInt64(byte - 0x30)
                if seenPoint { exponent -= 1 }
            } else {
                return nil // an exponent part: leave it to the full parser
            }
            i += 1
        }
        guard exponent >= -22 else { return nil }
        let value = Double(mantissa) / Self.powersOfTen[-exponent]
        return negative ? -value : value
    }

    /// Correctly rounded conversion of an already validated number of at most 63 bytes with
    /// C's `strtod`, without allocating a String. If the process locale's decimal point is not
    /// ".", `strtod` stops early and this returns nil (the caller then uses `Double(String)`).
    private func cDouble(_ start: Int, _ end: Int) -> Double? {
        guard end - start < 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            for i in 0..<(end - start) { base[i] = CChar(bitPattern: bytes[start + i]) }
            base[end - start] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(base, &stop)
            guard let stop, stop - base == end - start else { return nil }
            return value
        }
    }

    private mutating func parseString() throws(Failure) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard let text = String(validating: bytes[start..<index], as: UTF8.self) else {
                    throw Failure(offset: start, reason: "invalid UTF-8 in a string")
                }
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        var scalars = String.UnicodeScalarView()
        guard let prefix = String(validating: bytes[start..<index], as: UTF8.self) else {
            throw Failure(offset: start, reason: "invalid UTF-8 in a string")
        }
        scalars.append(contentsOf: prefix.unicodeScalars)
        var runStart = index
        func flushRun() throws(Failure) {
            guard runStart < index else { return }
            guard let run = String(validating: bytes[runStart..<index], as: UTF8.self) else {
                throw Failure(offset: runStart, reason: "invalid UTF-8 in a string")
            }
            scalars.append(contentsOf: run.unicodeScalars)
        }
        while true {
            guard index < bytes.count else { throw fail("unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                try flushRun()
                index += 1
                return String(scalars)
            }
            if byte < 0x20 { throw fail("control character in a string") }
            if byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            try flushRun()
            index += 1
            guard index < bytes.count else { throw fail("unterminated escape") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if code >= 0xD800 && code < 0xDC00 {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    else { throw fail("unpaired surrogate escape") }
                    index += 2
                    let low = try parseHex4()
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw fail("unpaired surrogate escape")
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else {
                    throw fail("unpaired surrogate escape")
                }
                scalars.append(scalar)
            default:
                throw fail("invalid escape")
            }
            runStart = index
        }
    }

    private mutating func parseHex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw fail("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
