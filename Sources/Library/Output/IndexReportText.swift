import Foundation

/// The lines `picseek index` prints about a finished run.
extension IndexReport {
    /// `12 photos found, 3 added, 0 updated, … (1.2 s)`, with `interrupted; rerun to
    /// continue` when the run was cancelled.
    public var summaryLine: String {
        var parts = [
            "\(scanned) photos found", "\(added + duplicates) added",
            "\(updated) updated", "\(moved) moved", "\(removed) removed",
            "\(failed) failed", "\(unchanged) unchanged",
        ]
        if cancelled { parts.append("interrupted; rerun to continue") }
        return parts.joined(separator: ", ") + String(format: " (%.1f s)", seconds)
    }

    /// The files skipped for their format, most common extension first, or nil when none
    /// was skipped.
    public var skippedLine: String? {
        guard !skipped.isEmpty else { return nil }
        let counts = skipped.sorted {
            $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key
        }
        let total = counts.reduce(0) { $0 + $1.value }
        return "skipped \(total) file\(total == 1 ? "" : "s") in formats picseek does not read "
            + "(only JPEG, PNG, WebP, GIF, TIFF, HEIC/HEIF, AVIF and camera RAW): "
            + counts.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
