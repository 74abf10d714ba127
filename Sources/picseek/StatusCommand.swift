import ArgumentParser
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
        print("engine: \(SIMDLevel.best) kernels, " + (Kernels.bf16Supported
            ? "bf16 image tower available (--image-precision bf16, faster indexing)"
            : "no bf16 image tower (needs AVX512_BF16)"))
        for line in TerminalReport.lines(environment: ProcessInfo.processInfo.environment) { print(line) }
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
