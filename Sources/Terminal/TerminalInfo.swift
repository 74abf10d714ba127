import CNCurses

/// Facts from the terminfo database, without starting a screen.
public enum TerminalInfo {
    /// The colour count terminfo gives for `term` (nil: `$TERM`); 0 when unknown.
    /// The corresponding C functions are `setupterm` and `tigetnum`.
    public static func colors(term: String?) -> Int {
        guard let term, !term.isEmpty else { return 0 }
        return Int(term.withCString { cnc_terminfo_colors($0) })
    }
}
