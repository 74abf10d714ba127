import Cells

/// Semantic roles the view paints with; themes map each to a style.
public enum StyleRole: String, CaseIterable, Sendable {
    case text, title, query, prompt, border, selection
    case scoreHigh = "score_high"
    case scoreLow = "score_low"
    case status, error, hint, help, placeholder
}

/// Styles for every role.
public struct Theme: Equatable, Sendable {
    /// The theme's name, e.g. "default".
    public var name: String
    private var styles: [String: Style]

    /// The style for `role`.
    public subscript(role: StyleRole) -> Style {
        get { styles[role.rawValue] ?? .plain }
        set { styles[role.rawValue] = newValue }
    }

    /// Creates a theme from a role table; missing roles use plain style.
    public init(name: String, styles: [StyleRole: Style]) {
        self.name = name
        self.styles = Dictionary(uniqueKeysWithValues: styles.map { ($0.key.rawValue, $0.value) })
    }

    /// The same theme with all colours removed (for `NO_COLOR`).
    public var withoutColor: Theme {
        var copy = self
        copy.styles = styles.mapValues { $0.withoutColor }
        return copy
    }

    /// The built-in default theme, readable on dark and on light terminals:
    /// typed and ordinary text in the terminal's own foreground, other roles in
    /// mid-tone colours with a contrast of at least 3.4:1 on black and on white,
    /// and the status line, selection and help on their own backgrounds. Also the
    /// fallback for missing or bad keys.
    public static let defaultDark = Theme(
        name: "default",
        styles: [
            .text: Style(),
            .title: Style(foreground: .rgb(0x4A, 0x86, 0xE8), attributes: .bold),
            .query: Style(),
            .prompt: Style(foreground: .rgb(0x19, 0x8F, 0xB5), attributes: .bold),
            .border: Style(foreground: .rgb(0x6F, 0x77, 0x82)),
            .selection: Style(
                foreground: .rgb(0xFF, 0xFF, 0xFF), background: .rgb(0x26, 0x4F, 0x78),
                attributes: .bold),
            .scoreHigh: Style(foreground: .rgb(0x3F, 0x8F, 0x3A), attributes: .bold),
            .scoreLow: Style(foreground: .rgb(0x8A, 0x8A, 0x8A)),
            .status: Style(foreground: .rgb(0xDC, 0xDF, 0xE4), background: .rgb(0x2C, 0x31, 0x3A)),
            .error: Style(foreground: .rgb(0xD6, 0x40, 0x3A), attributes: .bold),
            .hint: Style(foreground: .rgb(0x7C, 0x82, 0x8C)),
            .help: Style(foreground: .rgb(0xDC, 0xDF, 0xE4), background: .rgb(0x1E, 0x22, 0x2A)),
            .placeholder: Style(foreground: .rgb(0x7C, 0x82, 0x8C)),
        ])

    /// The monochrome fallback used when `NO_COLOR` is set: attributes only.
    public static let monochrome = Theme(
        name: "mono",
        styles: [
            .title: Style(attributes: .bold),
            .prompt: Style(attributes: .bold),
            .selection: Style(attributes: [.reverse, .bold]),
            .scoreHigh: Style(attributes: .bold),
            .status: Style(attributes: .reverse),
            .error: Style(attributes: [.bold, .underline]),
            .hint: Style(attributes: .dim),
            .help: Style(),
            .placeholder: Style(attributes: .dim),
        ])
}
