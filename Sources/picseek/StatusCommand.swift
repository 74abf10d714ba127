import ArgumentParser
import ExplorerRuntime
import Foundation
import Library
import PicseekCore
import Store
import Tensor

/// `picseek status`: what the index holds.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show indexed folders, photo and vector counts, models, errors, the last run, and what the terminal draws.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.openForReading()
        let s = try store.summary()
        print("index: \(TerminalSafe.escape(store.path)) (\(fileSizes(store)))")
        print("photos: \(s.photos) (\(s.failed) failed, see picseek errors)")
        if let problem = store.thumbnails.problem {
            print("thumbnails: unavailable, " + TerminalSafe.escape(problem)
                + " (picseek doctor --repair makes them again)")
        }
        print("folders:")
        if s.roots.isEmpty { print("  none") }
        for root in s.roots {
            let scanned = root.lastScanAt.map { "last scanned " + date($0) } ?? "never fully scanned"
            print("  \(RawPath.display(root.path))  (\(scanned))")
        }
        print("models:")
        if s.models.isEmpty { print("  none") }
        for (model, vectors) in s.models {
            print("  \(TerminalSafe.escape(model.name)) [\(TerminalSafe.escape(model.family)), "
                + "\(model.dimension)-d, weights \(TerminalSafe.escape(String(model.fingerprint.prefix(16))))]: "
                + "\(vectors) vectors")
        }
        if let run = s.lastRun {
            let outcome = run.outcome ?? (run.finishedAt == nil ? "did not finish (interrupted)" : "?")
            print("last run: \(date(run.startedAt)), \(TerminalSafe.escape(outcome)); "
                + "\(run.added) added, \(run.updated) updated, \(run.moved) moved, "
                + "\(run.removed) removed, \(run.failed) failed")
        } else {
            print("last run: none")
        }
        let text = try store.textProgress()
        print("words in photos: \(text.done) of \(text.done + text.pending) photo contents read"
            + (text.pending > 0 ? " (picseek index reads the rest)" : ""))
        print("themes: " + themeFolders())
        print("engine: \(SIMDLevel.best) kernels, " + (Kernels.bf16Supported
            ? "bf16 image tower available (--image-precision bf16, faster indexing)"
            : "no bf16 image tower (needs AVX512_BF16)"))
        for line in terminalReport(environment: ProcessInfo.processInfo.environment) { print(line) }
    }

    /// The theme names the explorer can load and where they are, first found first.
    private func themeFolders() -> String {
        var seen: [String] = []
        var places: [String] = []
        let environment = ProcessInfo.processInfo.environment
        for folder in ThemeLoader.searchFolders(environment: environment) {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            let names = files.filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }
                .filter { !seen.contains($0) }.sorted()
            guard !names.isEmpty else { continue }
            seen += names
            places.append(names.map(TerminalSafe.escape).joined(separator: ", ") + " in "
                + TerminalSafe.escape(folder))
        }
        return places.isEmpty
            ? "none found (the built-in default is used)" : places.joined(separator: "; ")
    }

    private func fileSizes(_ store: IndexStore) -> String {
        func size(_ path: String) -> Int64 {
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?
                .int64Value ?? 0
        }
        let main = size(store.path) + size(store.path + "-wal")
        let thumbs = size(store.thumbnails.path) + size(store.thumbnails.path + "-wal")
        return "\(megabytes(main)) index, \(megabytes(thumbs)) thumbnails"
    }

    private func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }

    private func date(_ seconds: Double) -> String {
        DateBounds.localDate(mtimeNs: Int64(seconds * 1_000_000_000))
    }
}
