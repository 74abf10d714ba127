import Cells
import Testing

@testable import ExplorerRuntime

/// The terminal section of `picseek doctor` and `picseek status`.
@Suite("terminal report")
struct TerminalReportTests {
    @Test("the terminal section reports TERM, COLORTERM, NO_COLOR, TMUX and terminfo's colours")
    func terminalSection() {
        let lines = TerminalReport.lines(environment: [
            "TERM": "xterm-256color", "COLORTERM": "truecolor", "TMUX": "/tmp/tmux-0/default,1,0",
        ])
        #expect(lines.first == "terminal:")
        #expect(lines.contains("  TERM: xterm-256color"))
        #expect(lines.contains("  COLORTERM: truecolor"))
        #expect(lines.contains("  NO_COLOR: (not set)"))
        #expect(lines.contains("  TMUX: /tmp/tmux-0/default,1,0"))
        #expect(lines.contains("  colours (terminfo): 256"))
        let unknown = TerminalReport.lines(environment: ["TERM": "no-such-terminal-\u{1b}[31m"])
        #expect(unknown.contains("  colours (terminfo): unknown (no terminfo entry)"))
        // Text from the environment is escaped before it is printed.
        #expect(!unknown.joined().contains("\u{1b}"))
    }

    @Test("the terminal section says what the terminal answered and which picture mode auto picks")
    func terminalAnswers() {
        var xterm = TerminalCapabilities()
        xterm.probed = true
        xterm.answered = true
        xterm.version = "XTerm(379)"
        xterm.deviceAttributes = [63, 1, 2, 4, 6]
        xterm.sixelColorRegisters = 256
        xterm.cellPixels = PixelSize(width: 6, height: 13)
        xterm.background = (255, 255, 255)
        let lines = TerminalReport.describe(xterm, environment: ["TERM": "xterm"], colors: 8)
        #expect(lines.contains("  calls itself: XTerm(379)"))
        #expect(lines.contains("  pixel graphics: sixel (256 colour registers)"))
        #expect(lines.contains("  cell: 6x13 pixels"))
        #expect(lines.contains("  background: #ffffff (light: theme auto is light)"))
        #expect(
            lines.last?.hasPrefix("  explorer pictures (--graphics auto): sixel, because") == true)
        var silent = TerminalCapabilities()
        silent.probed = true
        let quiet = TerminalReport.describe(
            silent, environment: ["TERM": "xterm-256color", "COLORTERM": "truecolor"], colors: 256)
        #expect(quiet.contains("  did not answer within 150 ms"))
        #expect(quiet.last?.hasPrefix("  explorer pictures (--graphics auto): truecolor") == true)
        let none = TerminalReport.describe(
            TerminalCapabilities(), environment: [:], colors: 0, reachable: false)
        #expect(none.contains("  not asked: no controlling terminal"))
    }
}
