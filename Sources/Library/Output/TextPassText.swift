import Foundation
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// Shows the OCR pass's progress on standard error: one redrawn line on a terminal (at
/// most every 0.2 s), plain lines at most every 5 s otherwise.
public final class TextPassProgress {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var last = Date.distantPast

    /// A progress line for standard error.
    public init() {}

    /// Shows `counts` and the photo being read; the last call (no photo) always shows.
    public func show(_ counts: TextProgress, current: [UInt8]?) {
        let now = Date()
        guard current == nil || now.timeIntervalSince(last) >= (isTerminal ? 0.2 : 5)
        else { return }
        last = now
        let line = Self.line(counts, current: current)
        if isTerminal {
            StandardStreams.errorRaw("\r\u{1b}[K" + line)
        } else {
            StandardStreams.error(line)
        }
    }

    /// Clears the redrawn line on a terminal.
    public func finish() {
        if isTerminal { StandardStreams.errorRaw("\r\u{1b}[K") }
    }

    /// `reading words: 3/10  IMG_1.jpg`.
    public static func line(_ counts: TextProgress, current: [UInt8]?) -> String {
        let total = counts.done + counts.pending
        return "reading words: \(counts.done)/\(total)"
            + (current.map { "  " + RawPath.display(RawPath.baseName($0)) } ?? "")
    }
}

extension TextPass.Report {
    /// `words read in 10 photos, 4 with text, 1 failed (2.0 s)`: the counts that are not
    /// zero, and `interrupted; rerun to continue` when cancelled.
    public var summaryLine: String {
        var parts = ["words read in \(read) photos", "\(withText) with text"]
        if failed > 0 { parts.append("\(failed) failed") }
        if timedOut > 0 { parts.append("\(timedOut) over the time budget") }
        if cancelled { parts.append("interrupted; rerun to continue") }
        return parts.joined(separator: ", ") + String(format: " (%.1f s)", seconds)
    }
}
