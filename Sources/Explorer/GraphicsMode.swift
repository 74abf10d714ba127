import Cells

/// How thumbnails are drawn.
public enum GraphicsMode: String, Equatable, Sendable, CaseIterable {
    /// Half blocks with 24-bit colour.
    case truecolor
    /// Half blocks with the 256-colour palette.
    case color256 = "256"
    /// Half blocks in the 24 greys of the 256-colour palette.
    case mono
    /// Characters by brightness, no colour.
    case ascii
    /// Real pixels through the kitty graphics protocol (kitty, Ghostty, WezTerm,
    /// Konsole): placed directly at the cursor, or as Unicode placeholders where
    /// the terminal supports them (kitty 0.28+, Ghostty; needed inside tmux).
    case kitty
    /// Real pixels as sixel images (xterm, foot, mlterm, Konsole, Contour,
    /// Windows Terminal, VS Code).
    case sixel
    /// Real pixels as iTerm2 inline images (iTerm2, WezTerm).
    case iterm2

    /// Whether pictures are real pixels drawn over the cells by the terminal,
    /// rather than coloured characters.
    public var drawsPixels: Bool { self == .kitty || self == .sixel || self == .iterm2 }

    /// Picks a mode from the environment and the terminal's colour count, with
    /// nothing asked of the terminal.
    ///
    /// `NO_COLOR` (any non-empty value) gives ASCII; `COLORTERM` of `truecolor`
    /// or `24bit` gives truecolor half blocks; 256 colours give the palette;
    /// 8 or 16 colours give ASCII (their greys are unreliable).
    public static func automatic(environment: [String: String], screenColors: Int) -> GraphicsMode {
        automatic(
            capabilities: TerminalCapabilities(), environment: environment,
            screenColors: screenColors
        )
        .mode
    }

    /// Picks the best mode the terminal showed it supports, and says why.
    ///
    /// In order: kitty graphics when the terminal answered the protocol's query
    /// (WezTerm prefers iTerm2 images, which it implements fully); iTerm2 images
    /// for iTerm2 and WezTerm (by `TERM_PROGRAM` or XTVERSION); sixel when DA1
    /// lists attribute 4 and the cell size in pixels is known (sixel
    /// images are not scaled); none inside GNU screen; then truecolor half blocks
    /// for `COLORTERM` or a terminal known by name (XTVERSION) to show 24-bit
    /// colour; then the palette or ASCII by the colour count.
    public static func automatic(
        capabilities: TerminalCapabilities, environment: [String: String], screenColors: Int
    ) -> (mode: GraphicsMode, reason: String) {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty {
            return (.ascii, "NO_COLOR is set")
        }
        let term = environment["TERM"] ?? ""
        if term == "dumb" { return (.ascii, "TERM=dumb") }
        let program = (environment["TERM_PROGRAM"] ?? "").lowercased()
        let versionName = capabilities.versionParts?.name ?? ""
        let wezterm = program == "wezterm" || versionName == "wezterm"
        let iterm = program == "iterm.app" || versionName.hasPrefix("iterm")
        if !capabilities.insideScreen {
            if capabilities.kittyGraphics && !wezterm {
                return (.kitty, "the terminal answered the kitty graphics query")
            }
            if (wezterm || iterm) && !capabilities.insideTmux {
                return (
                    .iterm2, wezterm ? "WezTerm shows iTerm2 inline images" : "iTerm2 inline images"
                )
            }
            if capabilities.sixel, capabilities.cellPixels != nil {
                return (
                    .sixel,
                    "the terminal lists sixel graphics (attribute 4) in its device attributes"
                )
            }
        }
        let colorterm = (environment["COLORTERM"] ?? "").lowercased()
        if colorterm == "truecolor" || colorterm == "24bit" {
            return (.truecolor, "COLORTERM=\(colorterm), no pixel graphics answered")
        }
        // A terminal that names itself (XTVERSION) as one that shows 24-bit
        // colour, whatever TERM's terminfo entry says (xterm's has 8 colours).
        if !capabilities.insideScreen, let name = capabilities.versionParts?.name,
            truecolorTerminals.contains(where: { name.hasPrefix($0) })
        {
            return (.truecolor, "the terminal calls itself \(name), which shows 24-bit colour")
        }
        if screenColors >= 256 { return (.color256, "256 colours, no pixel graphics answered") }
        return (.ascii, "\(screenColors) colours")
    }

    /// XTVERSION names (lowercased prefixes) of terminals that show 24-bit colour.
    static let truecolorTerminals = [
        "xterm", "kitty", "wezterm", "foot", "iterm", "ghostty", "contour", "konsole", "mlterm",
    ]

    /// Whether kitty images go in as Unicode placeholders (cells that ncurses
    /// and tmux move like text) rather than placed directly: inside tmux, which
    /// moves text but not images, and on terminals known to support them
    /// (kitty 0.28 or later, Ghostty).
    public static func kittyUsesPlaceholders(capabilities: TerminalCapabilities) -> Bool {
        if capabilities.insideTmux { return true }
        guard let (name, numbers) = capabilities.versionParts else { return false }
        if name == "ghostty" { return true }
        if name == "kitty" {
            let major = numbers.first ?? 0
            let minor = numbers.count > 1 ? numbers[1] : 0
            return major > 0 || minor >= 28
        }
        return false
    }
}
