import Cells
import Testing

@testable import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// Drawing cell buffers and reading keys through ncurses on a pseudo-terminal.
@Suite("screen drawing and keys", .serialized)
struct DrawTests {
    static func contains(_ bytes: [UInt8], _ text: String) -> Bool {
        bytes.firstRange(of: Array(text.utf8)) != nil
    }

    @Test("a cell buffer is drawn, and a second frame writes only the changed cells")
    func drawsAndDiffs() throws {
        let pty = try PseudoTerminal(rows: 6, columns: 20)
        let screen = try Screen(term: "xterm-256color", output: pty.slave, input: pty.slave)
        defer { screen.end() }
        var buffer = CellBuffer(rows: 6, columns: 20)
        buffer.put("海边 sunset", row: 1, column: 2)
        buffer.put("red", row: 2, column: 0, style: Style(foreground: .rgb(255, 0, 0)))
        let first = try screen.draw(buffer)
        let out = pty.drain()
        #expect(first == 120 - 2) // every cell except the wide characters' right halves
        #expect(Self.contains(out, "海边 sunset"))
        #expect(Self.contains(out, "\u{1B}[38;5;196m"))
        buffer.put("X", row: 4, column: 5)
        #expect(try screen.draw(buffer) == 1)
        #expect(Self.contains(pty.drain(), "X"))
        #expect(try screen.draw(buffer) == 0)
        screen.invalidate()
        #expect(try screen.draw(buffer) == 118)
    }

    @Test("more than 256 colour pairs keep their own colours")
    func manyPairs() throws {
        let pty = try PseudoTerminal(rows: 20, columns: 40)
        pty.startCapture()
        let screen = try Screen(term: "xterm-256color", output: pty.slave, input: pty.slave)
        defer { screen.end() }
        var buffer = CellBuffer(rows: 20, columns: 40)
        for r in 0..<20 {
            for c in 0..<40 {
                let i = r * 40 + c // 800 distinct fg/bg combinations
                buffer.setNarrow(
                    row: r, column: c, "▀",
                    Style(
                        foreground: .indexed(UInt8(16 + i % 216)),
                        background: .indexed(UInt8(232 + (i / 216) % 24))))
            }
        }
        try screen.draw(buffer)
        let out = pty.drain()
        // The last cell's pair (index 799) must show its own colours, not pair 799 % 256's.
        #expect(Self.contains(out, "38;5;\(16 + 799 % 216)"))
        #expect(Self.contains(out, "48;5;\(232 + (799 / 216) % 24)"))
    }

    @Test("direct colour terminfo carries 24-bit colours when installed")
    func directColor() throws {
        let pty = try PseudoTerminal(rows: 4, columns: 10)
        let screen = try Screen.open(
            term: "xterm-256color", output: pty.slave, input: pty.slave, wantTruecolor: true,
            useColor: true)
        defer { screen.end() }
        if screen.colorDepth == .direct {
            var buffer = CellBuffer(rows: 4, columns: 10)
            buffer.put("x", row: 0, column: 0, style: Style(foreground: .rgb(0x12, 0x34, 0x56)))
            try screen.draw(buffer)
            #expect(Self.contains(pty.drain(), "38:2::18:52:86"))
        } else {
            // Without the ncurses-term package the fallback is the 256 palette.
            #expect(screen.colorDepth == .palette256)
        }
    }

    @Test("keys decode: text, CJK, arrows, control, alt, enter, function keys and mouse")
    func decodesKeys() throws {
        let pty = try PseudoTerminal(rows: 10, columns: 40)
        let screen = try Screen(term: "xterm-256color", output: pty.slave, input: pty.slave)
        defer { screen.end() }
        screen.enableMouse()
        _ = pty.drain()
        pty.write("a海\u{1B}OA\u{17}\r\u{7F}\u{1B}x\u{1B}OP\u{1B}[6~\u{1B}[Z\t")
        var keys: [Key] = []
        while let key = screen.readKey(timeoutMs: 200) { keys.append(key) }
        #expect(
            keys == [
                .character("a"), .character("海"), .up, .control("w"), .enter, .backspace, .alt("x"),
                .function(1), .pageDown, .backTab, .tab,
            ])
        // A click (SGR mouse press and release), then the wheel, each as a person sends them.
        pty.write("\u{1B}[<0;11;6M\u{1B}[<0;11;6m")
        #expect(
            screen.readKey(timeoutMs: 200) == .mouse(MouseEvent(row: 5, column: 10, kind: .press)))
        while screen.readKey(timeoutMs: 100) != nil {}
        pty.write("\u{1B}[<65;2;3M")
        #expect(
            screen.readKey(timeoutMs: 200)
                == .mouse(MouseEvent(row: 2, column: 1, kind: .scrollDown)))
        pty.write("\u{1B}")
        #expect(screen.readKey(timeoutMs: 200) == .escape)
    }
}
