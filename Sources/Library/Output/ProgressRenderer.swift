import Foundation
import PicseekCore

#if canImport(Glibc)
    import Glibc
#endif

/// Draws indexing progress on standard error: a bar on a terminal, plain lines otherwise.
public final class ProgressRenderer {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastDraw = Date.distantPast
    private var lastLine = Date()
    private var drewBar = false
    private var lastPhase: IndexProgress.Phase?

    /// A renderer for standard error, a bar when it is a terminal.
    public init() {}

    /// Shows `p`: a bar at most every 0.1 s, or a plain line at most every 5 s, and at
    /// every change of phase.
    public func show(_ p: IndexProgress) {
        let now = Date()
        let phaseChanged = p.phase != lastPhase
        lastPhase = p.phase
        if isTerminal {
            guard phaseChanged || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            drawBar(p)
        } else if phaseChanged || now.timeIntervalSince(lastLine) >= 5 {
            lastLine = now
            StandardStreams.error(Self.plainLine(p))
        }
    }

    /// Clears the bar, if one was drawn, so the next line starts clean.
    public func finish() {
        if isTerminal && drewBar { StandardStreams.errorRaw("\r\u{1b}[K") }
    }

    /// The line shown when standard error is not a terminal, e.g.
    /// `indexing: 3/10, 0 failed, 1.5/s, eta 5s`.
    public static func plainLine(_ p: IndexProgress) -> String {
        switch p.phase {
        case .scanning: return "scanning: \(p.scanned) photos found"
        case .indexing:
            return "indexing: \(p.done)/\(p.total), \(p.failed) failed, "
                + String(format: "%.1f/s", p.rate) + (p.eta.map { ", eta " + duration($0) } ?? "")
        case .removing: return "removing entries of deleted files"
        case .finished: return "done"
        }
    }

    /// The bar line for a terminal `width` columns wide, without the carriage return.
    public static func barLine(_ p: IndexProgress, width: Int) -> String {
        var line: String
        switch p.phase {
        case .indexing where p.total > 0:
            line =
                ProgressBar.render(done: Int64(p.done), total: Int64(p.total), width: 24) + " "
                + "\(p.done)/\(p.total) " + String(format: "%.1f/s", p.rate)
                + (p.eta.map { " eta " + duration($0) } ?? "")
                + (p.failed > 0 ? " \(p.failed) failed" : "")
            if let current = p.current {
                line += "  " + RawPath.display(RawPath.baseName(current))
            }
        default:
            line = plainLine(p)
        }
        // Cut to the terminal width (by characters; wide glyphs may still wrap).
        if line.count > width - 1 { line = String(line.prefix(max(10, width - 1))) }
        return line
    }

    /// `42s`, `3m07s` or `1h05m`.
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }

    private func drawBar(_ p: IndexProgress) {
        StandardStreams.errorRaw("\r" + Self.barLine(p, width: terminalWidth()) + "\u{1b}[K")
        drewBar = true
    }

    private func terminalWidth() -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
            return Int(size.ws_col)
        }
        return 80
    }
}
