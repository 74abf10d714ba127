/// Why the terminal could not be used.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// `newterm` failed, e.g. unknown `TERM` or output is not a terminal.
    case cannotInitialise(term: String)
    /// An ncurses call returned ERR.
    case call(String)

    public var description: String {
        switch self {
        case .cannotInitialise(let term):
            return "cannot initialise the terminal (TERM=\(term.isEmpty ? "unset" : term))"
        case .call(let name): return "ncurses call failed: \(name)"
        }
    }
}
