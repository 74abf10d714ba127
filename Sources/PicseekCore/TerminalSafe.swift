/// Escaping of untrusted text (file names, EXIF strings, error messages from
/// disk) before it reaches a terminal.
///
/// Control characters (C0, DEL, C1), bidirectional overrides and other
/// invisible format characters are replaced by visible escapes, so a file
/// named `"\u{1b}[2J"` prints as `\e[2J` and cannot clear the screen.
public enum TerminalSafe {
    /// Returns `text` with every character that could move the cursor, change
    /// colours or reorder text replaced by a visible escape sequence.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            appendEscaped(scalar, to: &out)
        }
        return out
    }

    /// Decodes raw bytes of a file name as UTF-8, showing each invalid byte
    /// as `\xNN`, then escapes control characters as `escape(_:)` does.
    public static func escape(bytes: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < bytes.count {
            let length = utf8SequenceLength(lead: bytes[index])
            if length > 0, index + length <= bytes.count,
                let scalar = decodeScalar(bytes[index..<index + length])
            {
                appendEscaped(scalar, to: &out)
                index += length
            } else {
                out += "\\x" + hex2(bytes[index])
                index += 1
            }
        }
        return out
    }

    private static func utf8SequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return 2
        case 0xE0...0xEF: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }

    /// Decodes exactly one well-formed scalar (no overlong forms, no surrogates).
    private static func decodeScalar(_ bytes: ArraySlice<UInt8>) -> Unicode.Scalar? {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator),
            String(scalar).utf8.count == bytes.count
        else { return nil }
        return scalar
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, to out: inout String) {
        let v = scalar.value
        switch v {
        case 0x1B: out += "\\e"
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x09: out += "\\t"
        case 0x00...0x1F, 0x7F...0x9F:
            out += "\\x" + hex2(UInt8(truncatingIfNeeded: v))
        case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFEFF, 0xFFF9...0xFFFB:
            // Zero-width, line/paragraph separators, bidi embeddings/overrides/isolates.
            out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
        default:
            out.unicodeScalars.append(scalar)
        }
    }

    private static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}
