import Foundation

/// picseek's `config.toml`, read with a small parser for the TOML subset picseek uses:
/// `key = value` lines with basic ("…") or literal ('…') strings, integers, floats and
/// booleans, `[table]` headers (keys become `table.key`), and `#` comments.
///
/// Arrays and inline tables are kept as their raw text. A malformed line is an error
/// naming the file and line.
public struct ConfigFile: Sendable, Equatable {
    /// Values by key (`model`, `explorer.theme`, …); strings unquoted, others raw.
    public var values: [String: String]

    /// The default model's name or path (`model = "NAME"`).
    public var model: String? { values["model"] }

    /// Reads `path`; a missing file is an empty config.
    public static func load(path: String) throws -> ConfigFile {
        guard FileManager.default.fileExists(atPath: path) else { return ConfigFile(values: [:]) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelHubError.io(path: path, reason: "cannot read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ModelHubError.badConfig(file: path, reason: "not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Parses TOML text.
    public static func parse(_ text: String, file: String) throws -> ConfigFile {
        var values: [String: String] = [:]
        var table = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            let lineNumber = index + 1
            func bad(_ why: String) -> ModelHubError {
                .badConfig(file: file, reason: "line \(lineNumber): \(why)")
            }
            let line = rawLine.trimmingCharacters(
                in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else {
                    throw bad("unterminated table header")
                }
                table = line[line.index(after: line.startIndex)..<close].trimmingCharacters(
                    in: .whitespaces
                )
                .trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw bad("expected key = value") }
            var key = line[..<eq].trimmingCharacters(in: .whitespaces)
            if key.count >= 2, key.first == "\"" || key.first == "'", key.last == key.first {
                key = String(key.dropFirst().dropLast())
            }
            guard !key.isEmpty else { throw bad("empty key") }
            let rest = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            let value = try parseValue(rest, bad: bad)
            values[table.isEmpty ? key : table + "." + key] = value
        }
        return ConfigFile(values: values)
    }

    private static func parseValue(_ text: String, bad: (String) -> ModelHubError) throws -> String
    {
        guard let first = text.first else { throw bad("missing value") }
        if first == "'" {
            let body = text.dropFirst()
            guard let end = body.firstIndex(of: "'") else { throw bad("unterminated string") }
            try checkTrailing(body[body.index(after: end)...], bad: bad)
            return String(body[..<end])
        }
        if first == "\"" {
            var out = ""
            var chars = text.dropFirst().makeIterator()
            var closed = false
            var consumed = 1
            while let c = chars.next() {
                consumed += 1
                if c == "\"" { closed = true; break }
                if c == "\\" {
                    guard let e = chars.next() else { break }
                    consumed += 1
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "u", "U":
                        var hex = ""
                        for _ in 0..<(e == "u" ? 4 : 8) {
                            if let h = chars.next() { hex.append(h); consumed += 1 }
                        }
                        guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                            throw bad("bad unicode escape")
                        }
                        out.unicodeScalars.append(scalar)
                    default: throw bad("unknown escape \\\(e)")
                    }
                } else {
                    out.append(c)
                }
            }
            guard closed else { throw bad("unterminated string") }
            try checkTrailing(text.dropFirst(consumed), bad: bad)
            return out
        }
        var raw = text
        if let hash = raw.firstIndex(of: "#") { raw = String(raw[..<hash]) }
        return raw.trimmingCharacters(in: .whitespaces)
    }

    private static func checkTrailing(_ rest: Substring, bad: (String) -> ModelHubError) throws {
        let t = rest.trimmingCharacters(in: .whitespaces)
        guard t.isEmpty || t.hasPrefix("#") else { throw bad("unexpected text after the value") }
    }
}
