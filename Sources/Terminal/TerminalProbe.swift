import Cells

#if canImport(Glibc)
    import Glibc
#endif

/// Asks the terminal what it can draw, before the screen is taken over.
///
/// Sends, in one write: the kitty graphics query action (`a=q`, wrapped for
/// tmux passthrough inside tmux), XTVERSION, XTSMGRAPHICS (set 256 sixel colour
/// registers, read them back, read the largest sixel image), the cell size
/// (`CSI 16 t`), the background colour (OSC 11) and, last, primary device
/// attributes (DA1). Every terminal answers DA1 and answers in order, so its
/// answer closes the conversation; the wait is bounded by a timeout whether or
/// not anything answers. Answers are read with echo off and taken out of the
/// input; keys typed meanwhile are handed back (`typedAhead`) for the screen to
/// read. When the closing answer does not come, input still queued is
/// discarded, so no late reply arrives as keys.
public enum TerminalProbe {
    /// The image number of the kitty query (any number; the reply names it).
    static let kittyQueryID = 31

    /// The queries, as one write.
    public static func queries(insideTmux: Bool) -> [UInt8] {
        let kitty = "\u{1B}_Gi=\(kittyQueryID),s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\"
        var text = insideTmux ? KittyGraphics.wrapForTmux(kitty) : kitty
        text += "\u{1B}[>0q" // XTVERSION
        text += "\u{1B}[?1;3;256S" // XTSMGRAPHICS: set 256 colour registers
        text += "\u{1B}[?1;1;0S" // XTSMGRAPHICS: read colour registers
        text += "\u{1B}[?2;1;0S" // XTSMGRAPHICS: read the largest sixel image
        text += "\u{1B}[16t" // cell size in pixels
        text += "\u{1B}]11;?\u{1B}\\" // background colour
        text += "\u{1B}[c" // DA1, answered by every terminal: the end marker
        return Array(text.utf8)
    }

    /// Whether a terminal of type `term` in `environment` should be asked at
    /// all: not `dumb`, not the Linux console (it prints unknown sequences),
    /// not inside GNU screen (it passes none of this through).
    public static func shouldProbe(environment: [String: String]) -> Bool {
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" || term == "linux" || term.hasPrefix("vt100") {
            return false
        }
        if isInsideScreen(environment) { return false }
        return true
    }

    static func isInsideScreen(_ environment: [String: String]) -> Bool {
        if environment["TMUX"] != nil { return false }
        if let sty = environment["STY"], !sty.isEmpty { return true }
        return (environment["TERM"] ?? "").hasPrefix("screen")
    }

    /// Asks the terminal on `input`/`output` (file descriptors of one terminal)
    /// and returns what it said, waiting at most `timeoutMs` in all.
    ///
    /// Does nothing (returns what the environment says) when `input` is not a
    /// terminal or `shouldProbe` says no. The terminal's modes are restored on
    /// return.
    public static func run(
        input: Int32, output: Int32, environment: [String: String], timeoutMs: Int = 150
    ) -> TerminalCapabilities {
        var capabilities = TerminalCapabilities()
        capabilities.insideTmux = environment["TMUX"] != nil
        capabilities.insideScreen = isInsideScreen(environment)
        capabilities.cellPixels = cellPixels(fd: output) ?? cellPixels(fd: input)
        guard isatty(input) != 0, isatty(output) != 0, shouldProbe(environment: environment) else {
            return capabilities
        }
        var saved = termios()
        guard tcgetattr(input, &saved) == 0 else { return capabilities }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(input, TCSANOW, &raw) == 0 else { return capabilities }
        var answered = false
        defer {
            // Without the closing answer, later bytes may be late answers: they go.
            if !answered { tcflush(input, TCIFLUSH) }
            var restore = saved
            tcsetattr(input, TCSANOW, &restore)
        }
        capabilities.probed = true
        let request = queries(insideTmux: capabilities.insideTmux)
        guard writeAll(output, request) else { return capabilities }
        var parser = ProbeReplyParser()
        let deadline = monotonicMs() + timeoutMs
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !parser.complete {
            let left = deadline - monotonicMs()
            if left <= 0 { break }
            var fds = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
            let ready = poll(&fds, 1, Int32(left))
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { break }
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if count <= 0 { break }
            parser.feed(buffer[0..<count])
        }
        parser.apply(to: &capabilities)
        answered = parser.complete
        return capabilities
    }

    /// The cell size from the kernel's window size record, when the terminal
    /// fills its pixel fields.
    static func cellPixels(fd: Int32) -> PixelSize? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0,
            size.ws_xpixel > 0, size.ws_ypixel > 0
        else { return nil }
        let cell = PixelSize(
            width: Int(size.ws_xpixel) / Int(size.ws_col),
            height: Int(size.ws_ypixel) / Int(size.ws_row))
        return cell.width > 0 && cell.height > 0 ? cell : nil
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    private static func monotonicMs() -> Int {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int(spec.tv_sec) * 1000 + Int(spec.tv_nsec) / 1_000_000
    }
}

/// Reads the terminal's answers out of a byte stream, in any split, ignoring
/// anything that is not an answer (garbage, typed keys). Pure.
public struct ProbeReplyParser: Equatable, Sendable {
    private var pending: [UInt8] = []
    private var found = TerminalCapabilities()
    /// Bytes that are not answers (keys typed meanwhile), in order.
    public private(set) var typed: [UInt8] = []
    /// Whether the DA1 answer (the last one asked for) has arrived.
    public private(set) var complete = false

    /// Creates a parser that has seen nothing.
    public init() {}

    /// Takes more bytes from the terminal.
    public mutating func feed<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        pending.append(contentsOf: bytes)
        var index = 0
        while index < pending.count {
            guard pending[index] == 0x1B else {
                typed.append(pending[index])
                index += 1
                continue
            }
            switch Self.sequence(in: pending, at: index) {
            case .incomplete:
                // Keep the start of an answer for the next read.
                pending.removeFirst(index)
                return
            case .invalid:
                typed.append(pending[index])
                index += 1
            case .sequence(let kind, let body, let end):
                if !handle(kind, body) { typed += pending[index..<end] }
                index = end
            }
        }
        pending.removeAll()
    }

    /// Copies what was found into `capabilities` (keeps its environment facts).
    public func apply(to capabilities: inout TerminalCapabilities) {
        capabilities.answered = complete
        capabilities.deviceAttributes = found.deviceAttributes
        capabilities.version = found.version
        capabilities.kittyGraphics = found.kittyGraphics
        capabilities.sixelColorRegisters = found.sixelColorRegisters
        capabilities.sixelMaximum = found.sixelMaximum
        if capabilities.cellPixels == nil { capabilities.cellPixels = found.cellPixels }
        capabilities.background = found.background
        // Without the closing answer, what came may be a cut answer: dropped.
        capabilities.typedAhead = complete ? typed : []
    }

    private enum Kind { case csi, osc, apc, dcs }
    private enum Scan { case incomplete, invalid, sequence(Kind, [UInt8], Int) }

    /// The escape sequence starting at `start`: CSI up to its final byte, OSC
    /// up to BEL or ST, APC and DCS up to ST.
    private static func sequence(in bytes: [UInt8], at start: Int) -> Scan {
        guard start + 1 < bytes.count else { return .incomplete }
        let introducer = bytes[start + 1]
        let kind: Kind
        switch introducer {
        case UInt8(ascii: "["): kind = .csi
        case UInt8(ascii: "]"): kind = .osc
        case UInt8(ascii: "_"): kind = .apc
        case UInt8(ascii: "P"): kind = .dcs
        default: return .invalid
        }
        var i = start + 2
        // A runaway sequence (no terminator within 4 KB) is not an answer.
        let limit = min(bytes.count, start + 4096)
        while i < limit {
            let b = bytes[i]
            switch kind {
            case .csi:
                if b >= 0x40 && b <= 0x7E {
                    return .sequence(.csi, Array(bytes[(start + 2)...i]), i + 1)
                }
                if b < 0x20 || b > 0x7E { return .invalid }
            case .osc where b == 0x07:
                return .sequence(kind, Array(bytes[(start + 2)..<i]), i + 1)
            case .osc, .apc, .dcs:
                if b == 0x1B {
                    guard i + 1 < bytes.count else { return .incomplete }
                    if bytes[i + 1] == UInt8(ascii: "\\") {
                        return .sequence(kind, Array(bytes[(start + 2)..<i]), i + 2)
                    }
                    return .invalid
                }
            }
            i += 1
        }
        return limit == bytes.count && bytes.count - start < 4096 ? .incomplete : .invalid
    }

    /// Takes one answer; false when the sequence is not an answer (a key).
    private mutating func handle(_ kind: Kind, _ body: [UInt8]) -> Bool {
        let text = String(decoding: body, as: UTF8.self)
        switch kind {
        case .csi:
            guard let final = text.last else { return false }
            let params = text.dropLast()
            if final == "c", params.hasPrefix("?") {
                found.deviceAttributes = params.dropFirst().split(separator: ";").compactMap {
                    Int($0)
                }
                complete = true
            } else if final == "S", params.hasPrefix("?") {
                let numbers = params.dropFirst().split(separator: ";").map { Int($0) }
                guard numbers.count >= 3, numbers[1] == 0, let item = numbers[0] else {
                    return true
                }
                if item == 1, let value = numbers[2], value > 0 {
                    found.sixelColorRegisters = value
                } else if item == 2, numbers.count >= 4, let w = numbers[2], let h = numbers[3],
                    w > 0, h > 0
                {
                    found.sixelMaximum = PixelSize(width: w, height: h)
                }
            } else if final == "t", params.hasPrefix("6;") {
                let numbers = params.split(separator: ";").compactMap { Int($0) }
                if numbers.count == 3, numbers[1] > 0, numbers[2] > 0 {
                    found.cellPixels = PixelSize(width: numbers[2], height: numbers[1])
                }
            } else {
                return false
            }
        case .osc:
            // 11;rgb:RRRR/GGGG/BBBB (1 to 4 hex digits a channel).
            guard text.hasPrefix("11;rgb:") else { return true }
            let channels = text.dropFirst(7).split(separator: "/")
            guard channels.count == 3 else { return true }
            var rgb: [UInt8] = []
            for channel in channels {
                guard (1...4).contains(channel.count), let value = Int(channel, radix: 16) else {
                    return true
                }
                let maximum = (1 << (4 * channel.count)) - 1
                rgb.append(UInt8((value * 255 + maximum / 2) / maximum))
            }
            found.background = (rgb[0], rgb[1], rgb[2])
        case .apc:
            // G i=31;OK (any other message is an error: no kitty graphics).
            guard text.hasPrefix("G") else { return true }
            let parts = text.dropFirst().split(separator: ";", maxSplits: 1)
            if parts.count == 2,
                parts[0].split(separator: ",").contains("i=\(TerminalProbe.kittyQueryID)"),
                parts[1] == "OK"
            {
                found.kittyGraphics = true
            }
        case .dcs:
            // >|name version
            if text.hasPrefix(">|") { found.version = String(text.dropFirst(2)) }
        }
        return true
    }
}
