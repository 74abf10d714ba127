import Cells
import Dispatch
import Testing

@testable import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// What xterm 379 (`-ti vt340`, white background) answers to the probe.
let xtermAnswers =
    "\u{1B}P>|XTerm(379)\u{1B}\\" + "\u{1B}[?1;0;256S" + "\u{1B}[?1;0;256S"
    + "\u{1B}[?2;0;1000;1000S"
    + "\u{1B}[6;13;6t" + "\u{1B}]11;rgb:ffff/ffff/ffff\u{1B}\\"
    + "\u{1B}[?63;1;2;4;6;9;15;16;22;29c"

@Suite("terminal answers parser")
struct ProbeReplyParserTests {
    @Test("xterm's answers give sixel, 256 registers, the cell size, a light background")
    func xterm() {
        var parser = ProbeReplyParser()
        parser.feed(Array(xtermAnswers.utf8))
        var caps = TerminalCapabilities()
        parser.apply(to: &caps)
        #expect(parser.complete && caps.answered)
        #expect(caps.sixel && !caps.kittyGraphics)
        #expect(caps.sixelColorRegisters == 256)
        #expect(caps.sixelMaximum == PixelSize(width: 1000, height: 1000))
        #expect(caps.cellPixels == PixelSize(width: 6, height: 13))
        #expect(caps.version == "XTerm(379)")
        #expect(caps.lightBackground(environment: [:]) == true)
    }

    @Test("kitty's answers, split one byte at a time, with garbage and typed keys around them")
    func kittySplit() {
        let answers =
            "x\u{1B}_Gi=31;OK\u{1B}\\" + "garbage\u{1B}[A" + "\u{1B}P>|kitty(0.26.5)\u{1B}\\"
            + "\u{1B}]11;rgb:1e1e/1e1e/2e2e\u{07}" + "\u{1B}[?62;c"
        var parser = ProbeReplyParser()
        for byte in Array(answers.utf8) {
            #expect(!parser.complete)
            parser.feed([byte])
        }
        var caps = TerminalCapabilities()
        parser.apply(to: &caps)
        #expect(parser.complete)
        #expect(caps.kittyGraphics && !caps.sixel)
        #expect(caps.versionParts?.name == "kitty" && caps.versionParts?.numbers == [0, 26, 5])
        #expect(caps.lightBackground(environment: [:]) == false)
        #expect(caps.background?.red == 0x1E && caps.background?.blue == 0x2E)
    }

    @Test("an error from the kitty query, bad numbers and runaway sequences find nothing")
    func rejects() {
        var parser = ProbeReplyParser()
        parser.feed(
            Array(
                "\u{1B}_Gi=31;ENOTSUPPORTED:no\u{1B}\\\u{1B}[?1;3;0S\u{1B}[6;0;9t\u{1B}]11;rgb:zz/00/00\u{07}"
                    .utf8))
        parser.feed([UInt8](repeating: UInt8(ascii: "a"), count: 5000))
        var caps = TerminalCapabilities()
        parser.apply(to: &caps)
        #expect(!parser.complete)
        #expect(!caps.kittyGraphics && caps.sixelColorRegisters == nil && caps.cellPixels == nil)
        #expect(caps.background == nil)
    }

    @Test("COLORFGBG tells the background when OSC 11 does not")
    func colorfgbg() {
        let caps = TerminalCapabilities()
        #expect(caps.lightBackground(environment: ["COLORFGBG": "0;15"]) == true)
        #expect(caps.lightBackground(environment: ["COLORFGBG": "15;default;0"]) == false)
        #expect(caps.lightBackground(environment: [:]) == nil)
    }
}

@Suite("terminal probe on a pseudo-terminal")
struct TerminalProbeTests {
    static let environment = ["TERM": "xterm-256color"]

    /// A fake terminal: waits for the DA1 query, then writes `answer` after `delayMs`.
    static func answering(_ pty: PseudoTerminal, _ answer: [UInt8], delayMs: Int)
        -> DispatchSemaphore
    {
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var seen: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            var poller = pollfd(fd: pty.master, events: Int16(POLLIN), revents: 0)
            while seen.firstRange(of: Array("\u{1B}[c".utf8)) == nil, poll(&poller, 1, 1000) > 0 {
                let n = read(pty.master, &buffer, buffer.count)
                if n <= 0 { break }
                seen += buffer[0..<n]
            }
            usleep(UInt32(delayMs * 1000))
            if !answer.isEmpty {
                _ = answer.withUnsafeBytes { write(pty.master, $0.baseAddress, $0.count) }
            }
            done.signal()
        }
        return done
    }

    static func pendingInput(_ pty: PseudoTerminal) -> Int {
        var count: Int32 = 0
        _ = ioctl(fileno(pty.slave), UInt(FIONREAD), &count)
        return Int(count)
    }

    static func elapsedMs(_ body: () -> Void) -> Double {
        var a = timespec()
        var b = timespec()
        clock_gettime(CLOCK_MONOTONIC, &a)
        body()
        clock_gettime(CLOCK_MONOTONIC, &b)
        return Double(b.tv_sec - a.tv_sec) * 1000 + Double(b.tv_nsec - a.tv_nsec) / 1e6
    }

    @Test("a terminal that answers: everything found, nothing left in the input, modes restored")
    func answers() throws {
        let pty = try PseudoTerminal(rows: 24, columns: 80)
        let fd = fileno(pty.slave)
        let done = Self.answering(pty, Array(xtermAnswers.utf8), delayMs: 5)
        let caps = TerminalProbe.run(
            input: fd, output: fd, environment: Self.environment, timeoutMs: 3000)
        done.wait()
        #expect(caps.probed && caps.answered)
        #expect(caps.sixel && caps.sixelColorRegisters == 256)
        #expect(caps.cellPixels == PixelSize(width: 6, height: 13))
        #expect(Self.pendingInput(pty) == 0)
        #expect(pty.isCooked)
    }

    @Test("a terminal that never answers: back within the time limit, not answered")
    func silent() throws {
        let pty = try PseudoTerminal(rows: 24, columns: 80)
        let fd = fileno(pty.slave)
        let done = Self.answering(pty, [], delayMs: 0)
        var caps = TerminalCapabilities()
        let ms = Self.elapsedMs {
            caps = TerminalProbe.run(input: fd, output: fd, environment: Self.environment)
        }
        done.wait()
        #expect(caps.probed && !caps.answered && !caps.sixel)
        #expect(ms >= 140 && ms < 3000)
        #expect(pty.isCooked)
    }

    @Test("garbage before the answers and a partial answer at the deadline leave no stray input")
    func garbageAndPartial() throws {
        let pty = try PseudoTerminal(rows: 24, columns: 80)
        let fd = fileno(pty.slave)
        // Typed keys and noise, then an answer cut before its end: the probe
        // times out, and what arrived is taken out of the input.
        let partial = Array("ab\u{1B}[Zjunk\u{1B}[?63;1;2;".utf8)
        let done = Self.answering(pty, partial, delayMs: 20)
        let caps = TerminalProbe.run(
            input: fd, output: fd, environment: Self.environment, timeoutMs: 1500)
        done.wait()
        #expect(!caps.answered && !caps.sixel)
        #expect(Self.pendingInput(pty) == 0)
    }

    @Test("dumb terminals, the Linux console and GNU screen are not asked")
    func notAsked() throws {
        let pty = try PseudoTerminal(rows: 24, columns: 80)
        let fd = fileno(pty.slave)
        for env in [
            ["TERM": "dumb"], ["TERM": "linux"], ["TERM": "screen-256color"],
            ["TERM": "xterm", "STY": "1.x"],
        ] {
            let caps = TerminalProbe.run(input: fd, output: fd, environment: env)
            #expect(!caps.probed)
        }
        #expect(pty.drain(timeoutMs: 50).isEmpty)
    }

    @Test("inside tmux the kitty query is wrapped for passthrough")
    func tmuxWrap() {
        let plain = String(decoding: TerminalProbe.queries(insideTmux: false), as: UTF8.self)
        let wrapped = String(decoding: TerminalProbe.queries(insideTmux: true), as: UTF8.self)
        #expect(plain.hasPrefix("\u{1B}_Gi=31,"))
        #expect(wrapped.hasPrefix("\u{1B}Ptmux;\u{1B}\u{1B}_Gi=31,"))
        #expect(wrapped.hasSuffix("\u{1B}[c") && plain.hasSuffix("\u{1B}[c"))
    }
}

@Suite("keys typed while the terminal is asked")
struct TypedAheadTests {
    @Test("keys around the answers are kept in order, answers are not")
    func parserKeepsKeys() {
        var parser = ProbeReplyParser()
        parser.feed(Array("re\u{1B}[?62;c".utf8))
        parser.feed(Array("d\u{1B}[A海".utf8))
        var caps = TerminalCapabilities()
        parser.apply(to: &caps)
        #expect(caps.answered)
        #expect(caps.typedAhead == Array("red\u{1B}[A海".utf8))
    }

    @Test("keys typed during the probe reach the screen's input")
    func reachTheScreen() throws {
        let pty = try PseudoTerminal(rows: 24, columns: 80)
        let fd = fileno(pty.slave)
        let done = TerminalProbeTests.answering(pty, Array("red\u{1B}[?62;c".utf8), delayMs: 5)
        let caps = TerminalProbe.run(
            input: fd, output: fd, environment: ["TERM": "xterm-256color"], timeoutMs: 3000)
        done.wait()
        #expect(caps.typedAhead == Array("red".utf8))
        let screen = try Screen(term: "xterm-256color", output: pty.slave, input: pty.slave)
        defer { screen.end() }
        screen.pushInput(caps.typedAhead)
        let keys = (0..<3).compactMap { _ in screen.readKey(timeoutMs: 100) }
        #expect(keys == [.character("r"), .character("e"), .character("d")])
    }
}

@Suite("late answers")
struct LateAnswerTests {
    @Test("answers that arrive after the probe gave up are not read as keys")
    func dropped() throws {
        let pty = try PseudoTerminal(rows: 24, columns: 80)
        let screen = try Screen(term: "xterm-256color", output: pty.slave, input: pty.slave)
        defer { screen.end() }
        pty.write(
            "\u{1B}[?63;1;4c" + "a" + "\u{1B}]11;rgb:ffff/ffff/ffff\u{1B}\\" + "b"
                + "\u{1B}_Gi=31;OK\u{1B}\\" + "\u{1B}P>|XTerm(379)\u{1B}\\" + "\u{1B}[?1;0;256S"
                + "c")
        var keys: [Key] = []
        for _ in 0..<40 {
            if let key = screen.readKey(timeoutMs: 20) { keys.append(key) }
        }
        #expect(keys == [.character("a"), .character("b"), .character("c")])
    }

    @Test("Alt-[ and Escape alone still arrive as keys")
    func keysStay() throws {
        let pty = try PseudoTerminal(rows: 24, columns: 80)
        let screen = try Screen(term: "xterm-256color", output: pty.slave, input: pty.slave)
        defer { screen.end() }
        pty.write("\u{1B}[x")
        var keys: [Key] = []
        for _ in 0..<20 {
            if let key = screen.readKey(timeoutMs: 20) { keys.append(key) }
        }
        #expect(keys == [.alt("["), .character("x")])
    }
}
