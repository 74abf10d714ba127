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
    /// Real pixels through the kitty graphics protocol with Unicode
    /// placeholders (kitty, Ghostty; tmux with `allow-passthrough on`).
    /// Only chosen on request; the detail preview stays in half blocks.
    case kitty

    /// Picks a mode from the environment and the terminal's colour count.
    ///
    /// `NO_COLOR` (any non-empty value) gives ASCII; `COLORTERM` of `truecolor`
    /// or `24bit` with a direct-colour screen gives truecolor; 256 colours give
    /// the palette; 8 or 16 colours give ASCII (their greys are unreliable).
    public static func automatic(
        environment: [String: String], screenColors: Int, directColor: Bool
    ) -> GraphicsMode {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .ascii }
        let colorterm = environment["COLORTERM"]?.lowercased() ?? ""
        if (colorterm == "truecolor" || colorterm == "24bit") && directColor { return .truecolor }
        if screenColors >= 256 { return .color256 }
        return .ascii
    }
}
