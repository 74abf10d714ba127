import PicseekCore
import Store

/// Renders search hits for the terminal and as JSON lines.
public enum HitFormatter {
    /// `0.297  /photos/beach.jpg` with the path made terminal-safe.
    public static func plain(_ hit: Hit) -> String {
        score(hit.score) + "  " + RawPath.display(hit.pathBytes)
    }

    /// `[营业时间] 9:00-21:00  /photos/sign.jpg`: a text match, snippet first, escaped.
    public static func plain(_ hit: TextHit) -> String {
        TerminalSafe.escape(hit.snippet) + "  " + RawPath.display(hit.path)
    }

    /// A text match as one JSON line: id, path, snippet (the match in [brackets]).
    public static func json(_ hit: TextHit) -> String {
        "{\"id\":\(hit.photoID),\"snippet\":" + jsonString(hit.snippet) + ","
            + pathFields(hit.path) + "}"
    }

    /// A hit by meaning that also matched `text:` terms, with the matched snippet.
    public static func json(_ hit: Hit, snippet: String) -> String {
        var out = "{\"score\":" + score(hit.score) + ",\"id\":\(hit.photoID)"
        out += ",\"date\":" + date(hit.date) + ",\"snippet\":" + jsonString(snippet)
        return out + "," + pathFields(hit.pathBytes) + "}"
    }

    /// One JSON object per line: score, id, date (null when unknown), path. `path` is the exact
    /// name when it is valid UTF-8; otherwise it is the `\xNN`-escaped display
    /// form and `path_hex` carries the raw bytes. Control and invisible
    /// characters are `\u` escapes, so the line holds none raw.
    public static func json(_ hit: Hit) -> String {
        var out = "{\"score\":" + score(hit.score) + ",\"id\":\(hit.photoID)"
        out += ",\"date\":" + date(hit.date)
        return out + "," + pathFields(hit.pathBytes) + "}"
    }

    /// A hit's date as a JSON value: a string, or `null` when unknown (search hits always
    /// have one).
    private static func date(_ value: String?) -> String { value.map(jsonString) ?? "null" }

    /// `"path":…` for a raw path as in `json`, plus `"path_hex":…` when it is not UTF-8.
    public static func pathFields(_ path: [UInt8]) -> String {
        if let text = String(validating: path, as: UTF8.self) {
            return "\"path\":" + jsonString(text)
        }
        return "\"path\":" + jsonString(RawPath.display(path))
            + ",\"path_hex\":\"" + path.map { hex2($0) }.joined() + "\""
    }

    /// A JSON string literal safe for terminals (see `JSONText.quote`).
    public static func jsonString(_ text: String) -> String { JSONText.quote(text) }

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

}
