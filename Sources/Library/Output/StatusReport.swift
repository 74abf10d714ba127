import Foundation
import PicseekCore
import Store
import Tensor

/// The text of `picseek status` that comes from the index and the engine.
public enum StatusReport {
    /// The index's path and sizes, photo counts, folders, models and their vectors, the
    /// last run and how many photos' words were read, one line each, escaped.
    /// The lines of a named root: its name and this machine's mount point (or that it is not
    /// mounted here), then every other machine's mount point.
    static func namedRootLines(
        _ root: RootRecord, name: String, details: String,
        host: String = RootPaths.currentHost()
    ) -> [String] {
        let shownName = TerminalSafe.escape(name)
        let here =
            root.mounts.first { $0.host == host }
            .map { "mounted here (\(TerminalSafe.escape(host))) at \(RawPath.display($0.path))" }
            ?? "not mounted on this machine (\(TerminalSafe.escape(host)))"
        var lines = ["  \(shownName): \(here)  (\(details))"]
        for mount in root.mounts where mount.host != host {
            lines.append(
                "    \(shownName) on \(TerminalSafe.escape(mount.host)): "
                    + RawPath.display(mount.path))
        }
        return lines
    }

    public static func indexLines(store: any PhotoIndex) throws -> [String] {
        var lines: [String] = []
        let s = try store.summary()
        lines.append("index: \(TerminalSafe.escape(store.path)) (\(fileSizes(store)))")
        lines.append("photos: \(s.photos) (\(s.failed) failed, see picseek errors)")
        lines.append(formatLine(try store.photoCountsByExtension()))
        if let problem = store.thumbnails.problem {
            lines.append(
                "thumbnails: unavailable, " + TerminalSafe.escape(problem)
                    + " (picseek doctor --repair makes them again)")
        }
        lines.append("folders:")
        if s.roots.isEmpty { lines.append("  none") }
        for root in s.roots {
            let scanned =
                root.lastScanAt.map { "last scanned " + date($0) } ?? "never fully scanned"
            let words = root.readsWords ? "" : ", words in photos not read (--no-ocr)"
            guard let name = root.name else {
                lines.append("  \(RawPath.display(root.path))  (\(scanned)\(words))")
                continue
            }
            lines.append(contentsOf: namedRootLines(root, name: name, details: scanned + words))
        }
        lines.append("models:")
        if s.models.isEmpty { lines.append("  none") }
        for (model, vectors) in s.models {
            let weights = TerminalSafe.escape(String(model.fingerprint.prefix(16)))
            lines.append(
                "  \(TerminalSafe.escape(model.name)) [\(TerminalSafe.escape(model.family)), "
                    + "\(model.dimension)-d, weights \(weights)]: \(vectors) vectors")
        }
        if let run = s.lastRun {
            let unfinished = run.indexingNow ? "indexing now" : "did not finish (interrupted)"
            let outcome = run.outcome ?? (run.finishedAt == nil ? unfinished : "?")
            // Where the database records it (PostgreSQL): which machine and process.
            let whose =
                run.host.map {
                    " on \(TerminalSafe.escape($0))"
                        + (run.processID.map { " (process \($0))" } ?? "")
                }
                ?? ""
            lines.append(
                "last run: \(date(run.startedAt))\(whose), \(TerminalSafe.escape(outcome)); "
                    + "\(run.added) added, \(run.updated) updated, \(run.moved) moved, "
                    + "\(run.removed) removed, \(run.failed) failed")
        } else {
            lines.append("last run: none")
        }
        let text = try store.textProgress()
        lines.append(
            "words in photos: \(text.done) of \(text.done + text.pending) photo contents read"
                + (text.pending > 0 ? " (picseek index reads the rest)" : ""))
        return lines
    }

    /// `formats: JPEG 12, RAW 3 (CR2 1, DNG 2), PNG 1 (1 failed)`: the photos by format,
    /// named from their paths' extensions, most common first; RAW broken down by extension.
    public static func formatLine(_ counts: [ExtensionCount]) -> String {
        var groups: [String: (photos: Int, failed: Int, parts: [String: Int])] = [:]
        for count in counts {
            let name = formatName(count.fileExtension)
            var group = groups[name] ?? (0, 0, [:])
            group.photos += count.photos
            group.failed += count.failed
            if ScanOptions.rawExtensions.contains(count.fileExtension) {
                group.parts[count.fileExtension.uppercased(), default: 0] += count.photos
            }
            groups[name] = group
        }
        guard !groups.isEmpty else { return "formats: none" }
        let ordered = groups.sorted {
            $0.value.photos != $1.value.photos ? $0.value.photos > $1.value.photos : $0.key < $1.key
        }
        let items = ordered.map { name, group -> String in
            var notes: [String] = []
            if !group.parts.isEmpty {
                notes.append(
                    group.parts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                        .joined(separator: ", "))
            }
            if group.failed > 0 { notes.append("\(group.failed) failed") }
            let note = notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
            return "\(TerminalSafe.escape(name)) \(group.photos)" + note
        }
        return "formats: " + items.joined(separator: ", ")
    }

    /// The format a file extension names: "JPEG" for jpg, jpeg, jpe and jfif, "RAW" for every
    /// camera RAW extension, the extension in capitals for others ("no extension" for none).
    public static func formatName(_ fileExtension: String) -> String {
        switch fileExtension {
        case "jpg", "jpeg", "jpe", "jfif": return "JPEG"
        case "png": return "PNG"
        case "heic", "heif", "hif": return "HEIC"
        case "avif": return "AVIF"
        case "webp": return "WebP"
        case "gif": return "GIF"
        case "tif", "tiff": return "TIFF"
        case "": return "no extension"
        default:
            return ScanOptions.rawExtensions.contains(fileExtension)
                ? "RAW" : fileExtension.uppercased()
        }
    }

    /// The kernels this CPU runs and whether the bfloat16 and int8 image towers are available.
    public static var engineLine: String {
        "engine: \(SIMDLevel.best) kernels, "
            + (Kernels.bf16Supported
                ? "bf16 image tower available (--image-precision bf16, faster indexing)"
                : "no bf16 image tower (needs AVX512_BF16)")
            + (Kernels.int8Supported
                ? ", int8 image tower available (--image-precision int8, fastest)"
                : ", no int8 image tower (needs AVX-512 VNNI)")
    }

    private static func fileSizes(_ store: any PhotoIndex) -> String {
        let sizes = store.storageSizes()
        return "\(megabytes(sizes.index)) index, \(megabytes(sizes.thumbnails)) thumbnails"
    }

    private static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }

    private static func date(_ seconds: Double) -> String {
        DateBounds.localDate(mtimeNs: Int64(seconds * 1_000_000_000))
    }
}
