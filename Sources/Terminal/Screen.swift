import CNCurses
import Cells
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// ncurses keeps global state, so one `Screen` exists at a time in a process;
/// a second one (another test, another thread) waits until the first ends.
private let screenSlot = DispatchSemaphore(value: 1)

/// One ncurses screen on a pair of streams (a terminal, a pseudo-terminal in
/// tests). The only place picseek calls ncurses.
///
/// `end()` must run on every exit path; it is idempotent and also runs in
/// `deinit`.
public final class Screen {
    private var screen: OpaquePointer?
    private let window: UnsafeMutablePointer<WINDOW>
    private let output: UnsafeMutablePointer<FILE>
    private let input: UnsafeMutablePointer<FILE>
    private var colors: ColorRegistry
    private var previous: CellBuffer?
    private var wide = [wchar_t](repeating: 0, count: 8)
    private var cursorVisible: Int32 = -1
    /// The terminal type ncurses was started with.
    public let termName: String

    /// Starts ncurses on the given streams with the wide-character API.
    ///
    /// - Parameters:
    ///   - term: terminal type, e.g. "xterm-256color"; nil uses `$TERM`.
    ///   - output: the stream to draw on.
    ///   - input: the stream to read keys from.
    ///   - useColor: false draws with attributes only (`NO_COLOR`).
    /// The corresponding C function is `newterm`.
    public init(
        term: String?, output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>,
        useColor: Bool = true
    ) throws {
        screenSlot.wait()
        cnc_setlocale_from_env()
        let created: OpaquePointer? =
            if let term { term.withCString { newterm($0, output, input) } } else {
                newterm(nil, output, input)
            }
        guard let created else {
            screenSlot.signal()
            throw TerminalError.cannotInitialise(term: term ?? "")
        }
        screen = created
        set_term(created)
        guard let std = stdscr else {
            endwin()
            delscreen(created)
            screen = nil
            screenSlot.signal()
            throw TerminalError.cannotInitialise(term: term ?? "")
        }
        window = std
        self.output = output
        self.input = input
        termName = term ?? String(cString: termname())
        raw()
        noecho()
        nonl()
        intrflush(window, false)
        keypad(window, true)
        idcok(window, false)
        set_escdelay(25)
        var depth = ColorDepth.none
        if useColor, has_colors() {
            start_color()
            use_default_colors()
            let count = Int(cnc_colors())
            depth =
                count >= 0x1000000
                ? .direct : count >= 256 ? .palette256 : count >= 8 ? .ansi : .none
        }
        colors = ColorRegistry(depth: depth, maxPairs: Int(cnc_color_pairs()))
    }

    /// Starts ncurses, preferring a direct-colour (24-bit) variant of `term`
    /// (`xterm-direct`, `tmux-direct`) when `wantTruecolor` is set and that
    /// terminfo entry is installed; falls back to `term` itself.
    public static func open(
        term: String?, output: UnsafeMutablePointer<FILE>, input: UnsafeMutablePointer<FILE>,
        wantTruecolor: Bool, useColor: Bool
    ) throws -> Screen {
        if wantTruecolor, useColor, let direct = directVariant(of: term) {
            if let screen = try? Screen(term: direct, output: output, input: input, useColor: true)
            {
                if screen.colorDepth == .direct { return screen }
                screen.end()
            }
        }
        return try Screen(term: term, output: output, input: input, useColor: useColor)
    }

    /// The direct-colour terminfo name for a terminal family, if there is one.
    public static func directVariant(of term: String?) -> String? {
        guard let term else { return nil }
        if term.hasSuffix("-direct") { return term }
        if term.hasPrefix("xterm") { return "xterm-direct" }
        if term.hasPrefix("tmux") || term.hasPrefix("screen") { return "tmux-direct" }
        return nil
    }

    deinit { end() }

    /// How the screen shows colours.
    public var colorDepth: ColorDepth { colors.depth }

    /// The number of colours ncurses reports.
    public var colorCount: Int { Int(cnc_colors()) }

    /// The file descriptor keys are read from (for `poll`).
    public var inputDescriptor: Int32 { fileno(input) }

    /// The screen size in cells.
    public var size: (rows: Int, columns: Int) {
        var y: Int32 = 0
        var x: Int32 = 0
        cnc_getmaxyx(window, &y, &x)
        return (Int(y), Int(x))
    }

    /// Turns on mouse reporting for clicks and the wheel.
    /// The corresponding C functions are `mousemask` and `mouseinterval`.
    public func enableMouse() {
        mousemask(cnc_click_and_wheel_events(), nil)
        mouseinterval(0)
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

    /// Makes the next `draw` repaint every cell and clear the terminal first
    /// (after a resize, or when something else wrote to the terminal).
    public func invalidate() {
        previous = nil
        clearok(window, true)
    }

    /// Whether the last `draw` repainted every cell (the first frame, after
    /// `invalidate`, a resize): pictures drawn over the cells are gone then.
    public private(set) var repaintedAll = false

    /// Draws `buffer`, writing only cells that differ from the last frame,
    /// then updates the terminal once.
    /// The corresponding C functions are `setcchar`, `mvwadd_wch`,
    /// `wnoutrefresh` and `doupdate`.
    /// - Returns: the number of cells written.
    @discardableResult
    public func draw(_ buffer: CellBuffer) throws -> Int {
        let (rows, columns) = size
        repaintedAll = previous == nil
        if rows != buffer.rows || columns != buffer.columns || previous?.rows != buffer.rows
            || previous?.columns != buffer.columns
        {
            previous = nil
            werase(window)
        }
        var exhausted = false
        var written = 0
        let visibleRows = min(rows, buffer.rows)
        let visibleColumns = min(columns, buffer.columns)
        let cells = buffer.cells
        let old = previous?.cells
        for r in 0..<visibleRows {
            var c = 0
            let base = r * buffer.columns
            while c < visibleColumns {
                let cell = cells[base + c]
                if let old, old[base + c] == cell {
                    c += 1
                    continue
                }
                if cell.isContinuation {
                    c += 1
                    continue
                }
                // A wide grapheme is followed by its continuation cell.
                let isWide = c + 1 < buffer.columns && cells[base + c + 1].isContinuation
                if isWide, c + 1 >= visibleColumns {
                    writeCell(
                        Cell(" ", style: cell.style), row: r, column: c, exhausted: &exhausted)
                } else {
                    writeCell(cell, row: r, column: c, exhausted: &exhausted)
                }
                written += 1
                c += 1
            }
        }
        if exhausted {
            // Pairs were recycled: cells drawn earlier may now show other colours.
            previous = nil
            colors.clear()
            clearok(window, true)
            return try draw(buffer)
        }
        if let cursor = buffer.cursor, cursor.row < rows, cursor.column < columns {
            setCursor(visible: 1)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            setCursor(visible: 0)
            wmove(window, Int32(max(0, rows - 1)), 0)
        }
        previous = buffer
        guard wnoutrefresh(window) == cnc_ok() else { throw TerminalError.call("wnoutrefresh") }
        guard doupdate() == cnc_ok() else { throw TerminalError.call("doupdate") }
        return written
    }

    private func setCursor(visible: Int32) {
        guard cursorVisible != visible else { return }
        cursorVisible = visible
        curs_set(visible)
    }

    private func writeCell(_ cell: Cell, row: Int, column: Int, exhausted: inout Bool) {
        var count = 0
        for scalar in cell.character.unicodeScalars where count < 5 {
            wide[count] = wchar_t(bitPattern: scalar.value)
            count += 1
        }
        wide[count] = 0
        var attrs = cnc_attr_normal()
        let a = cell.style.attributes
        if a.contains(.bold) { attrs |= cnc_attr_bold() }
        if a.contains(.dim) { attrs |= cnc_attr_dim() }
        if a.contains(.reverse) { attrs |= cnc_attr_reverse() }
        if a.contains(.underline) { attrs |= cnc_attr_underline() }
        if a.contains(.italic) { attrs |= cnc_attr_italic() }
        var pair = colors.pair(for: cell.style, exhausted: &exhausted)
        var cchar = cchar_t()
        let ok = wide.withUnsafeBufferPointer { chars in
            setcchar(&cchar, chars.baseAddress, attrs, 0, &pair)
        }
        guard ok == cnc_ok() else { return }
        // The bottom-right cell returns ERR (the cursor cannot advance) but is drawn.
        _ = mvwadd_wch(window, Int32(row), Int32(column), &cchar)
    }

    /// Waits up to `timeoutMs` (0: do not wait, negative: forever) for a key.
    /// The corresponding C functions are `wget_wch` and `getmouse`.
    public func readKey(timeoutMs: Int32) -> Key? {
        wtimeout(window, timeoutMs)
        var value: wint_t = 0
        let result = wget_wch(window, &value)
        if result == cnc_err() { return nil }
        if result == cnc_key_code_yes() {
            let code = Int32(bitPattern: value)
            if code == cnc_key_mouse() { return mouseEvent() }
            return KeyDecoder.keyCode(code)
        }
        if value == 27 {
            // Alt sends ESC and the key at once: look for it without waiting.
            wtimeout(window, 0)
            var next: wint_t = 0
            let nextResult = wget_wch(window, &next)
            if nextResult == cnc_ok() {
                if swallowTerminalReply(introducer: UInt32(next)) { return nil }
                if let key = KeyDecoder.character(UInt32(next)), case .character(let c) = key {
                    return .alt(c)
                }
                unget_wch(wchar_t(bitPattern: next))
            } else if nextResult == cnc_key_code_yes() {
                ungetch(Int32(bitPattern: next))
            }
            return .escape
        }
        return KeyDecoder.character(UInt32(value))
    }

    /// After ESC and `introducer`, reads and drops a terminal's answer that
    /// arrived too late for `TerminalProbe` (over a slow link): `CSI ?…`
    /// (device attributes, XTSMGRAPHICS) up to its final byte, and OSC, APC
    /// and DCS strings up to BEL or ST. True when one was dropped; keys typed
    /// by a person never arrive that fast after ESC. Reads without waiting.
    private func swallowTerminalReply(introducer: UInt32) -> Bool {
        func nextNow() -> UInt32? {
            var value: wint_t = 0
            return wget_wch(window, &value) == cnc_ok() ? UInt32(value) : nil
        }
        switch introducer {
        case 0x5B: // [
            guard let first = nextNow() else { return false }
            guard first == 0x3F else { // ?
                unget_wch(wchar_t(bitPattern: first))
                return false
            }
            for _ in 0..<256 {
                guard let c = nextNow() else { return true }
                if (0x40...0x7E).contains(c) { return true }
            }
            return true
        case 0x5D, 0x5F, 0x50: // ] _ P
            guard var previous = nextNow() else { return false }
            for _ in 0..<4096 {
                guard let c = nextNow() else { return true }
                if previous == 0x07 || (previous == 0x1B && c == 0x5C) { return true }
                if c == 0x07 { return true }
                previous = c
            }
            return true
        default:
            return false
        }
    }

    private func mouseEvent() -> Key? {
        var event = MEVENT()
        guard getmouse(&event) == cnc_ok() else { return nil }
        let state = event.bstate
        let kind: MouseEvent.Kind
        if state & (cnc_button1_pressed() | cnc_button1_clicked()) != 0 {
            kind = .press
        } else if state & cnc_button1_released() != 0 {
            kind = .release
        } else if state & cnc_button4_pressed() != 0 {
            kind = .scrollUp
        } else if cnc_button5_pressed() != 0, state & cnc_button5_pressed() != 0 {
            kind = .scrollDown
        } else {
            return nil
        }
        return .mouse(MouseEvent(row: Int(event.y), column: Int(event.x), kind: kind))
    }

    /// Updates ncurses' idea of the size from the terminal (after SIGWINCH
    /// when ncurses did not see it, e.g. a pseudo-terminal resized by a test).
    /// The corresponding C function is `resizeterm`.
    public func resize(rows: Int, columns: Int) {
        resizeterm(Int32(rows), Int32(columns))
        invalidate()
    }

    /// Writes bytes straight to the terminal after the last frame (OSC 52),
    /// bypassing ncurses; the cursor position is unaffected by OSC sequences.
    public func writeRaw(_ text: String) {
        fputs(text, output)
        fflush(output)
    }

    /// Puts `bytes` (UTF-8 keys typed before the screen started) back in front
    /// of the input, so the next `readKey` calls return them in order.
    /// The corresponding C function is `unget_wch`.
    public func pushInput(_ bytes: [UInt8]) {
        let scalars = String(decoding: bytes, as: UTF8.self).unicodeScalars
        for scalar in scalars.reversed() { unget_wch(wchar_t(bitPattern: scalar.value)) }
    }

    /// Writes `bytes` straight to the terminal after the last frame, with the
    /// cursor saved before and restored after (DECSC, DECRC), so ncurses'
    /// idea of where the cursor is stays true.
    public func writeRawKeepingCursor(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        fputs("\u{1B}7", output)
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, output) }
        fputs("\u{1B}8", output)
        fflush(output)
    }

    /// Restores the terminal. Safe to call more than once.
    /// The corresponding C functions are `endwin` and `delscreen`.
    public func end() {
        guard let screen else { return }
        set_term(screen)
        endwin()
        delscreen(screen)
        self.screen = nil
        screenSlot.signal()
    }
}
