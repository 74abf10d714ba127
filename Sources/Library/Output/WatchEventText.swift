import Foundation
import PicseekCore

/// The line `picseek watch` writes for each `WatchEvent`.
public enum WatchEventText {
    /// Where a line goes: progress to standard output, trouble to standard error.
    public enum Stream: Sendable, Equatable {
        case output, error
    }

    /// Passes the lines for `event` to `output` or `error` by their stream.
    public static func write(
        _ event: WatchEvent, output: (String) -> Void, error: (String) -> Void
    ) {
        for (stream, text) in lines(event) {
            if stream == .output { output(text) } else { error(text) }
        }
    }

    /// The lines for `event`, in order: none for an update that changed nothing.
    public static func lines(_ event: WatchEvent) -> [(stream: Stream, text: String)] {
        switch event {
        case .watching(let roots, let folders):
            return [
                (
                    .output,
                    "watching \(folders) folder\(folders == 1 ? "" : "s") under \(roots) "
                        + "root\(roots == 1 ? "" : "s") (Ctrl-C to stop)"
                )
            ]
        case .updated(let report, let full):
            var lines: [(stream: Stream, text: String)] = report.problems.map {
                (.error, "warning: \($0)")
            }
            let counts = [
                ("added", report.added + report.duplicates), ("updated", report.updated),
                ("moved", report.moved), ("removed", report.removed), ("failed", report.failed),
            ].filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }
            if full {
                lines.append(
                    (
                        .output,
                        "rescanned: \(report.scanned) photos, "
                            + (counts.isEmpty ? "no changes" : counts.joined(separator: ", "))
                            + String(format: " (%.1f s)", report.seconds)
                    ))
            } else if !counts.isEmpty {
                lines.append(
                    (
                        .output,
                        counts.joined(separator: ", ") + String(format: " (%.1f s)", report.seconds)
                    ))
            }
            return lines
        case .waiting(let message):
            return [(.error, "waiting: \(message)")]
        case .limitReached(let message):
            return [(.error, "warning: \(message)")]
        case .rootGone(let root):
            return [
                (
                    .error,
                    "\(RawPath.display(root)) is gone (unmounted or removed); its photos stay "
                        + "in the index until it returns"
                )
            ]
        case .rootReturned(let root):
            return [(.output, "\(RawPath.display(root)) is back; rescanning it")]
        case .overflow:
            return [(.error, "warning: the kernel dropped file events; rescanning every folder")]
        case .failed(let message):
            return [(.error, "error: \(TerminalSafe.escape(message))")]
        case .wordsRead(let report):
            return [(.output, report.summaryLine)]
        }
    }
}
