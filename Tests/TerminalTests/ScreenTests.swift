import Testing

@testable import Terminal

@Suite("ncurses binding")
struct ScreenTests {
    @Test("newterm on a pseudo-terminal draws a wide character and restores")
    func drawsWideCharacter() throws {
        let pty = try PseudoTerminal(rows: 10, columns: 40)
        let screen = try Screen(term: "xterm-256color", output: pty.slave, input: pty.slave)
        let size = screen.size
        #expect(size.rows == 10 && size.columns == 40)
        try screen.put("图", row: 1, column: 2)
        try screen.put("A", row: 1, column: 4, bold: true)
        try screen.refresh()
        let drawn = pty.drain()
        #expect(drawn.firstRange(of: Array("图".utf8)) != nil)
        screen.end()
        let restored = pty.drain()
        // xterm's rmcup (leave the alternate screen) is sent by endwin.
        #expect(restored.firstRange(of: Array("\u{1B}[?1049l".utf8)) != nil)
    }

    @Test("an unknown terminal type is a typed error, not a crash")
    func unknownTerm() throws {
        let pty = try PseudoTerminal(rows: 10, columns: 40)
        #expect(throws: TerminalError.cannotInitialise(term: "no-such-terminal-xyz")) {
            _ = try Screen(term: "no-such-terminal-xyz", output: pty.slave, input: pty.slave)
        }
    }
}
