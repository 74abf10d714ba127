import Foundation
import PicseekCore

#if canImport(Glibc)
    import Glibc
#endif

/// Renders fetch progress on standard error: a redrawn bar on a terminal, plain lines every
/// 10% otherwise.
public final class FetchProgressPrinter {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastDecile: [String: Int64] = [:]
    private var barShown = false
    private var start = Date()
    private var startBytes: Int64 = 0

    /// A printer for standard error, a bar when it is a terminal.
    public init() {}

    /// Shows `event`: a line, or the redrawn bar of a file being downloaded.
    public func handle(_ event: FetchEvent) {
        let e: (String) -> String = { TerminalSafe.escape($0) }
        switch event {
        case .started(let file, let url, let total, let from):
            endBar()
            start = Date()
            startBytes = from
            let size = total.map { formatBytes($0) } ?? "unknown size"
            line(
                from > 0
                    ? "resuming \(e(file)) at \(formatBytes(from)) of \(size) from \(e(url))"
                    : "downloading \(e(file)) (\(size)) from \(e(url))")
        case .progress(let file, let received, let total):
            if isTerminal {
                drawBar(file: file, received: received, total: total)
            } else if let total, total > 0 {
                let decile = received * 10 / total
                if decile > lastDecile[file, default: -1] {
                    lastDecile[file] = decile
                    line(
                        "  \(e(file)): \(decile * 10)% "
                            + "(\(formatBytes(received)) of \(formatBytes(total)))")
                }
            }
        case .retrying(let file, let received, let reason):
            endBar()
            line(
                "  \(e(file)): \(e(reason)) after \(formatBytes(received)); "
                    + "resuming with a range request")
        case .verifying(let file):
            endBar()
            line("  verifying \(e(file)) (sha-256)")
        case .finished(let file, let bytes, let sha, let verified):
            line(
                "  \(e(file)): \(bytes) bytes, sha256 \(sha)"
                    + (verified ? " (matches)" : " (no published hash; size checked)"))
        case .reused(let file):
            line("  \(e(file)): already downloaded, reused")
        case .converting(let file):
            line("  converting \(e(file)) to model.safetensors")
        }
    }

    /// Ends the bar, if one is shown, with a newline.
    public func finish() { endBar() }

    private func drawBar(file: String, received: Int64, total: Int64?) {
        let seconds = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(received - startBytes) / seconds
        var text = "\r  " + TerminalSafe.escape(file) + " "
        if let total, total > 0 {
            let fraction = min(Double(received) / Double(total), 1)
            text += ProgressBar.render(done: received, total: total, width: 30) + " "
            text +=
                String(format: "%3.0f%% ", fraction * 100)
                + "\(formatBytes(received))/\(formatBytes(total))"
        } else {
            text += formatBytes(received)
        }
        text += "  " + formatBytes(Int64(rate)) + "/s\u{1B}[K"
        FileHandle.standardError.write(Data(text.utf8))
        barShown = true
    }

    private func endBar() {
        if barShown {
            FileHandle.standardError.write(Data("\n".utf8))
            barShown = false
        }
    }

    private func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
