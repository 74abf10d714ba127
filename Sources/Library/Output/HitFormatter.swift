import PicseekCore

/// Renders search hits for the terminal and as JSON lines.
public enum HitFormatter {
    /// `0.297  /photos/beach.jpg` with the path made terminal-safe.
    public static func plain(_ hit: SearchHit) -> String {
        score(hit.score) + "  " + RawPath.display(hit.path)
    }

    /// One JSON object per line: score, id, date, path. `path` is the exact
    /// name when it is valid UTF-8; otherwise it is the `\xNN`-escaped display
    /// form and `path_hex` carries the raw bytes. Control and invisible
    /// characters are `\u` escapes, so the line holds none raw.
    public static func json(_ hit: SearchHit) -> String {
        var out = "{\"score\":" + score(hit.score) + ",\"id\":\(hit.photoID)"
        out += ",\"date\":" + jsonString(hit.date)
        if let text = String(validating: hit.path, as: UTF8.self) {
            out += ",\"path\":" + jsonString(text)
        } else {
            out += ",\"path\":" + jsonString(RawPath.display(hit.path))
            out += ",\"path_hex\":\"" + hit.path.map { hex2($0) }.joined() + "\""
        }
        return out + "}"
    }

    /// A JSON string literal; escapes quotes, backslashes, C0/C1 controls,
    /// DEL, line separators and bidi/zero-width format characters.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00...0x1F, 0x7F...0x9F, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069,
                0xFEFF, 0xFFF9...0xFFFB:
                out += "\\u" + hex4(scalar.value)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func score(_ value: Float) -> String {
        let rounded = (Double(value) * 1000).rounded() / 1000
        var text = String(rounded)
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            if decimals < 3 { text += String(repeating: "0", count: 3 - decimals) }
        }
        return text
    }

    private static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }

    private static func hex4(_ v: UInt32) -> String {
        hex2(UInt8(truncatingIfNeeded: v >> 8)) + hex2(UInt8(truncatingIfNeeded: v))
    }
}
