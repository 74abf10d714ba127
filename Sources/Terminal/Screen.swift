#if canImport(Glibc)
import Glibc
#endif
import CNCurses

/// One ncurses screen on a pair of streams (a terminal, a pseudo-terminal in
/// tests). The only place picseek calls ncurses.
///
/// `end()` must run on every exit path; it is idempotent and also runs in
/// `deinit`.
public final class Screen {
    private var screen: OpaquePointer?
    private let window: UnsafeMutablePointer<WINDOW>

    /// Starts ncurses on the given streams with the wide-character API.
    ///
    /// - Parameters:
    ///   - term: terminal type, e.g. "xterm-256color"; nil uses `$TERM`.
    ///   - output: the stream to draw on.
    ///   - input: the stream to read keys from.
    /// The corresponding C function is `newterm`.
    public init(term: String?, output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>) throws {
        cnc_setlocale_from_env()
        let created: OpaquePointer? =
            if let term { term.withCString { newterm($0, output, input) } } else { newterm(nil, output, input) }
        guard let created else {
            throw TerminalError.cannotInitialise(term: term ?? "")
        }
        screen = created
        set_term(created)
        guard let std = stdscr else {
            endwin()
            delscreen(created)
            screen = nil
            throw TerminalError.cannotInitialise(term: term ?? "")
        }
        window = std
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
    }

    deinit { end() }

    /// The screen size in cells.
    public var size: (rows: Int, columns: Int) {
        var y: Int32 = 0
        var x: Int32 = 0
        cnc_getmaxyx(window, &y, &x)
        return (Int(y), Int(x))
    }

    /// Writes one cell: a character (possibly wide) with attributes.
    /// The corresponding C functions are `setcchar` and `mvwadd_wch`.
    public func put(_ character: Character, row: Int, column: Int, bold: Bool = false) throws {
        var cell = cchar_t()
        var wide = character.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        wide.append(0)
        let attrs = bold ? cnc_attr_bold() : cnc_attr_normal()
        guard setcchar(&cell, wide, attrs, 0, nil) == cnc_ok() else {
            throw TerminalError.call("setcchar")
        }
        guard mvwadd_wch(window, Int32(row), Int32(column), &cell) == cnc_ok() else {
            throw TerminalError.call("mvwadd_wch")
        }
    }

    /// Sends pending changes to the terminal.
    /// The corresponding C function is `wrefresh`.
    public func refresh() throws {
        guard wrefresh(window) == cnc_ok() else { throw TerminalError.call("wrefresh") }
    }

    /// Restores the terminal. Safe to call more than once.
    /// The corresponding C functions are `endwin` and `delscreen`.
    public func end() {
        guard let screen else { return }
        set_term(screen)
        endwin()
        delscreen(screen)
        self.screen = nil
    }
}
