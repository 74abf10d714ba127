import ArgumentParser
import ExplorerRuntime
import Foundation
import Imaging
import Library
import ModelHub
import PicseekCore
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// `picseek doctor [--repair]`: checks the index, its thumbnails, the installed models and
/// the terminal, and with `--repair` rebuilds what can be rebuilt.
struct Doctor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract:
            "Check the index, thumbnails, installed models and terminal; --repair fixes what "
            + "it can.",
        discussion: """
            Checks the index (readable, integrity, schema version, vectors without a photo, \
            models whose weights are not installed, photos whose files are gone), the thumbnail \
            database (readable, previews no photo uses, photos without a preview), the \
            installed models (files present, sizes as recorded; SHA-256 with --hashes) and the \
            terminal (TERM, COLORTERM, NO_COLOR, TMUX, colours). Exits 1 when it finds a problem.

            --repair moves an unreadable index or thumbnail database aside \
            (index.sqlite.corrupt-DATE, nothing is deleted) and starts a new one, deletes \
            vectors without a photo and previews no photo uses, and makes the missing previews \
            again from the photos. Vectors are read from the index at each search: there is no \
            other vector cache to rebuild. Rows of photos whose files are gone are left to the \
            next picseek index, which removes them.
            """)

    @Flag(help: "Repair what can be repaired (never deletes a file).")
    var repair = false

    @Flag(help: "Also check the SHA-256 of model files recorded at download (reads every byte).")
    var hashes = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        var problems = 0
        let path = try database.path()
        problems += try checkIndex(path: path)
        problems += checkModels()
        for line in terminalReport(environment: ProcessInfo.processInfo.environment) {
            print(line)
        }
        if problems > 0 {
            print(
                repair
                    ? "\(problems) problem\(problems == 1 ? "" : "s") found; repaired what could be"
                    : "\(problems) problem\(problems == 1 ? "" : "s") found; "
                        + "picseek doctor --repair fixes what it can"
            )
            if !repair { throw ExitCode(1) }
        } else {
            print("no problems found")
        }
    }

    // MARK: Index and thumbnails

    private func checkIndex(path: String) throws -> Int {
        let shown = TerminalSafe.escape(path)
        print("index: \(shown)")
        guard FileManager.default.fileExists(atPath: path) else {
            print("  not found: nothing indexed yet (picseek index FOLDER creates it)")
            return 0
        }
        var problems = 0
        var store: IndexStore?
        do {
            store = try IndexStore.open(path: path, mode: .readOnly)
        } catch let error as StoreError {
            if case .cannotMigrate(_, let found, let supported, _) = error {
                print(
                    "  schema version \(found) of \(supported): "
                        + (repair ? "migrating" : "needs migrating (picseek index does it)")
                )
                problems += 1
                if repair { store = try IndexStore.open(path: path) }
            } else {
                print("  unreadable: " + TerminalSafe.escape("\(error)"))
                problems += 1
                if repair { store = try moveAsideAndStartNew(path: path) } else { return problems }
            }
        }
        guard var store else { return problems }
        let integrity = (try? store.integrityCheck()) ?? ["integrity check failed to run"]
        if integrity == ["ok"] {
            print("  integrity: ok")
        } else {
            print(
                "  integrity: \(integrity.count) problem\(integrity.count == 1 ? "" : "s"), first: "
                    + TerminalSafe.escape(integrity[0]))
            problems += 1
            if repair { store = try moveAsideAndStartNew(path: path) }
        }
        print(
            "  schema version: \(try store.schemaVersionFound()) "
                + "(this picseek: \(IndexStore.schemaVersion))"
        )
        if let reason = store.readOnlyReason, IndexStore.writeProblem(at: path) != nil {
            print(
                "  read-only: " + TerminalSafe.escape(reason)
                    + " (search, status, errors and explore still work)")
        }
        let summary = try store.summary()
        print("  photos: \(summary.photos) (\(summary.failed) failed)")
        let library = ModelLibrary()
        for (model, vectors) in summary.models {
            var line = "  model \(TerminalSafe.escape(model.name)): \(vectors) vectors"
            if library.installed(named: model.name) == nil {
                line +=
                    "; note: no installed model has this name (search with --model FOLDER, "
                    + "or picseek model fetch or import it)"
            }
            print(line)
        }
        let orphans = try store.orphanVectorCount()
        if orphans > 0 {
            problems += 1
            print("  vectors without a photo or model: \(orphans)")
        }
        let photos = try store.allPhotos()
        var gone: [[UInt8]] = []
        for photo in photos where !Self.exists(photo.path) { gone.append(photo.path) }
        if !gone.isEmpty {
            problems += 1
            print(
                "  photos whose files are gone: \(gone.count) (the next picseek index removes them)"
            )
            for path in gone.prefix(5) { print("    " + RawPath.display(path)) }
            if gone.count > 5 { print("    …") }
        }
        if repair {
            if store.isReadOnly { store = try IndexStore.open(path: path) }
            if orphans > 0 {
                print(
                    "  repaired: deleted \(try store.deleteOrphanVectors()) vectors without a photo"
                )
            }
        }
        problems += try checkThumbnails(store: &store, path: path, photos: photos)
        return problems
    }

    private func checkThumbnails(
        store: inout IndexStore, path: String, photos: [StoredPhoto]
    ) throws -> Int {
        let thumbPath = DatabaseLocation.thumbnailPath(forIndexAt: path)
        print("thumbnails: \(TerminalSafe.escape(thumbPath))")
        var problems = 0
        if let problem = store.thumbnails.problem {
            let missingFile = !FileManager.default.fileExists(atPath: thumbPath)
            print("  " + (missingFile ? "missing" : "unreadable: " + TerminalSafe.escape(problem)))
            problems += 1
            guard repair else { return problems }
            if !missingFile {
                let moved = try IndexStore.moveAside(path: thumbPath)
                print("  repaired: moved it to \(TerminalSafe.escape(moved)) (kept)")
            }
            store = try IndexStore.open(path: path)
        } else if let lines = try? store.thumbnails.integrityCheck(), lines != ["ok"] {
            print("  integrity: \(lines.count) problem\(lines.count == 1 ? "" : "s")")
            problems += 1
            guard repair else { return problems }
            let moved = try IndexStore.moveAside(path: thumbPath)
            print("  repaired: moved it to \(TerminalSafe.escape(moved)) (kept)")
            store = try IndexStore.open(path: path)
        }
        let stored = try store.thumbnails.hashes()
        let used = Set(photos.compactMap { $0.error == nil ? $0.contentHash : nil })
        let unused = stored.subtracting(used).count
        let missing = photos.filter {
            $0.error == nil && $0.contentHash.map { !stored.contains($0) } ?? false
        }
        print("  previews: \(stored.count), unused \(unused), photos without one \(missing.count)")
        if unused > 0 || !missing.isEmpty { problems += 1 }
        guard repair, unused > 0 || !missing.isEmpty else { return problems }
        if store.isReadOnly { store = try IndexStore.open(path: path) }
        if unused > 0 {
            print(
                "  repaired: deleted \(try store.thumbnails.prune(keeping: used)) unused previews")
        }
        var made = 0
        var failed = 0
        let pipeline = ImagePipeline()
        var batch: [(hash: [UInt8], thumbnail: Thumbnail)] = []
        var seen = Set<[UInt8]>()
        for photo in missing {
            guard let hash = photo.contentHash, seen.insert(hash).inserted else { continue }
            do {
                let (bytes, _) = try FileReader.read(photo.path, limit: 1 << 30)
                let (image, _) = try pipeline.thumbnail(data: bytes)
                batch.append(
                    (
                        hash,
                        Thumbnail(
                            jpeg: try JPEG.encode(image, quality: IndexOptions().thumbnailQuality),
                            width: image.width, height: image.height)
                    ))
                made += 1
            } catch {
                failed += 1
            }
            if batch.count >= 64 {
                try store.thumbnails.put(batch)
                batch.removeAll()
            }
        }
        try store.thumbnails.put(batch)
        print(
            "  repaired: made \(made) previews again"
                + (failed > 0 ? ", \(failed) photos unreadable" : ""))
        return problems
    }

    private func moveAsideAndStartNew(path: String) throws -> IndexStore {
        let moved = try IndexStore.moveAside(path: path)
        print("  repaired: moved it to \(TerminalSafe.escape(moved)) (kept, nothing deleted)")
        let store = try IndexStore.open(path: path)
        print(
            "  started a new index at \(TerminalSafe.escape(path)): "
                + "picseek index FOLDER fills it again"
        )
        return store
    }

    private static func exists(_ path: [UInt8]) -> Bool {
        var info = stat()
        return RawPath.withCString(path) { lstat($0, &info) } == 0
    }

    // MARK: Models

    private func checkModels() -> Int {
        print("models:")
        var problems = 0
        let models = ModelLibrary().installedModels()
        if models.isEmpty { print("  none installed (picseek model fetch NAME)") }
        for model in models {
            var line = "  \(TerminalSafe.escape(model.name)) (\(TerminalSafe.escape(model.path)))"
            guard let manifest = ModelManifest.read(folder: model.path) else {
                let size = FileHasher.size(path: model.path + "/model.safetensors") ?? 0
                print(line + ": model.safetensors \(size) bytes (no manifest: sizes not recorded)")
                continue
            }
            var bad: [String] = []
            for file in manifest.files {
                let filePath = model.path + "/" + file.name
                guard let size = FileHasher.size(path: filePath) else {
                    bad.append("\(file.name) is missing")
                    continue
                }
                if size != file.bytes {
                    bad.append("\(file.name) has \(size) bytes, \(file.bytes) recorded")
                } else if hashes, let expected = file.sha256 {
                    let actual = (try? FileHasher.sha256(path: filePath))?.hex
                    if actual != expected {
                        bad.append("\(file.name) has another SHA-256 than recorded")
                    }
                }
            }
            line += ": \(manifest.files.count) files"
            if bad.isEmpty {
                print(line + (hashes ? ", sizes and hashes as recorded" : ", sizes as recorded"))
            } else {
                problems += 1
                print(
                    line + "; " + TerminalSafe.escape(bad.joined(separator: "; "))
                        + " (picseek model fetch again, or import)")
            }
        }
        return problems
    }
}

/// The terminal section of `picseek doctor` (and `picseek status`): the
/// variables that decide colours and graphics, terminfo's colour count, and
/// what the terminal answers when asked (`TerminalReport`).
func terminalReport(environment: [String: String]) -> [String] {
    TerminalReport.lines(environment: environment)
}
