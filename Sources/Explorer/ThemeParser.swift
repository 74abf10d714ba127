import Cells

/// Reads theme files: `role_fg = #rrggbb`, `role_bg = …`, `role_attrs = bold,reverse`.
///
/// An optional first key `base = default|mono` chooses the built-in theme the
/// file patches (default: the dark theme).
/// Colours are `#rrggbb`, `default`, a palette number `0`-`255`, or one of
/// the eight ANSI names (`red`, `bright_blue`, …). Lines starting with `#`
/// are comments; values may be quoted. Unknown keys are ignored; bad values
/// produce a warning and keep the base theme's value. Never fails.
public enum ThemeParser {
    /// The parsed theme and warnings naming the file, line and problem.
    public static func parse(
        _ text: String, name: String, base: Theme = .defaultDark
    ) -> (theme: Theme, warnings: [String]) {
        var theme = base
        theme.name = name
        var warnings: [String] = []
        let roles = Dictionary(uniqueKeysWithValues: StyleRole.allCases.map { ($0.rawValue, $0) })
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = String(rawLine).trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                warnings.append("theme \(name) line \(lineNumber): expected key = value")
                continue
            }
            let key = String(line[..<equals]).trimmingSpaces.lowercased()
            var value = String(line[line.index(after: equals)...]).trimmingSpaces
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = String(value.dropFirst().dropLast())
            }
            if key == "base" {
                // Must come first: starts over from a built-in theme.
                switch value.lowercased() {
                case "default", "dark": theme = .defaultDark
                case "mono", "none": theme = .monochrome
                default:
                    warnings.append(
                        "theme \(name) line \(lineNumber): base: unknown theme '\(value)'")
                }
                theme.name = name
                continue
            }
            guard let underscore = key.lastIndex(of: "_") else { continue }
            let roleName = String(key[..<underscore])
            let field = String(key[key.index(after: underscore)...])
            guard let role = roles[roleName] else { continue } // unknown keys are ignored
            var style = theme[role]
            switch field {
            case "fg", "bg":
                guard let color = parseColor(value) else {
                    warnings.append(
                        "theme \(name) line \(lineNumber): \(key): bad colour '\(value)', using default"
                    )
                    continue
                }
                if field == "fg" { style.foreground = color } else { style.background = color }
            case "attrs":
                guard let attributes = parseAttributes(value) else {
                    warnings.append(
                        "theme \(name) line \(lineNumber): \(key): bad attributes '\(value)', using default"
                    )
                    continue
                }
                style.attributes = attributes
            default:
                continue
            }
            theme[role] = style
        }
        return (theme, warnings)
    }

    /// Parses `#rrggbb`, `default`, `0`-`255` or an ANSI colour name.
    public static func parseColor(_ text: String) -> Color? {
        let value = text.lowercased()
        if value == "default" || value == "none" { return .default }
        if value.hasPrefix("#") {
            let hex = value.dropFirst()
            guard hex.count == 6, let number = UInt32(hex, radix: 16) else { return nil }
            return .rgb(UInt8(number >> 16), UInt8((number >> 8) & 0xFF), UInt8(number & 0xFF))
        }
        if let index = Int(value) {
            guard (0...255).contains(index) else { return nil }
            return .indexed(UInt8(index))
        }
        let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
        if let i = names.firstIndex(of: value) { return .indexed(UInt8(i)) }
        if value.hasPrefix("bright_"), let i = names.firstIndex(of: String(value.dropFirst(7))) {
            return .indexed(UInt8(i + 8))
        }
        return nil
    }

    /// Parses a comma- or space-separated list of attribute names, or `none`.
    public static func parseAttributes(_ text: String) -> Attributes? {
        var result: Attributes = []
        let parts = text.lowercased().split(whereSeparator: { $0 == "," || $0 == " " })
        for part in parts {
            switch part {
            case "none": continue
            case "bold": result.insert(.bold)
            case "dim": result.insert(.dim)
            case "reverse": result.insert(.reverse)
            case "underline": result.insert(.underline)
            case "italic": result.insert(.italic)
            default: return nil
            }
        }
        return result
    }
}
