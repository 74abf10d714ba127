import Foundation
import PicseekCore
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// The index and thumbnail checks of `picseek doctor`, and with `repair` the repairs.
///
/// Checks the index (readable, integrity, schema version, vectors without a photo, models
/// no installed model answers to, photos whose files are gone) and the thumbnail database
/// (readable, integrity, previews no photo uses, photos without one). Repairs move an
/// unreadable database aside (never deleting a file) and start a new one, delete vectors
/// without a photo and unused previews, and make missing previews again from the photos.
/// Every line of the report goes to `emit` as it is known, escaped for a terminal.
public struct IndexDoctor {
    /// The index database's path.
    public let path: String
    /// Whether to repair what can be repaired.
    public let repair: Bool
    /// A photo file's bytes to its thumbnail pixels (the image pipeline), for repairs.
    public let makeThumbnail: ([UInt8]) throws -> RGBImage
    /// Thumbnail pixels to stored bytes (the indexer's encoder), for repairs.
    public let encodeThumbnail: ThumbnailEncoder
    /// Whether an installed model has the given name (the note on an index's models).
    public let isModelInstalled: (String) -> Bool

    /// A doctor for the index at `path`; the image pipeline arrives as `makeThumbnail` and
    /// `encodeThumbnail` (Library links no image codec).
    public init(
        path: String, repair: Bool, makeThumbnail: @escaping ([UInt8]) throws -> RGBImage,
        encodeThumbnail: @escaping ThumbnailEncoder,
        isModelInstalled: @escaping (String) -> Bool
    ) {
        self.path = path
        self.repair = repair
        self.makeThumbnail = makeThumbnail
        self.encodeThumbnail = encodeThumbnail
        self.isModelInstalled = isModelInstalled
    }

    /// The doctor's last line: no problems, else their count and what `--repair` did or
    /// would do.
    public static func summaryLine(problems: Int, repair: Bool) -> String {
        guard problems > 0 else { return "no problems found" }
        let found = "\(problems) problem\(problems == 1 ? "" : "s") found; "
        return found
            + (repair ? "repaired what could be" : "picseek doctor --repair fixes what it can")
    }

    /// Checks (and with `repair` repairs) the index and its thumbnails, passing each line
    /// of the report to `emit`; returns the number of problems found.
    public func run(emit: (String) -> Void) throws -> Int {
        try checkIndex(emit: emit)
    }

    private func checkIndex(emit: (String) -> Void) throws -> Int {
        let shown = TerminalSafe.escape(path)
        emit("index: \(shown)")
        guard FileManager.default.fileExists(atPath: path) else {
            emit("  not found: nothing indexed yet (picseek index FOLDER creates it)")
            return 0
        }
        var problems = 0
        var store: IndexStore?
        do {
            store = try IndexStore.open(path: path, mode: .readOnly)
        } catch let error as StoreError {
            if case .cannotMigrate(_, let found, let supported, _) = error {
                emit(
                    "  schema version \(found) of \(supported): "
                        + (repair ? "migrating" : "needs migrating (picseek index does it)")
                )
                problems += 1
                if repair { store = try IndexStore.open(path: path) }
            } else {
                emit("  unreadable: " + TerminalSafe.escape("\(error)"))
                problems += 1
                if repair { store = try moveAsideAndStartNew(emit: emit) } else { return problems }
            }
        }
        guard var store else { return problems }
        let integrity = (try? store.integrityCheck()) ?? ["integrity check failed to run"]
        if integrity == ["ok"] {
            emit("  integrity: ok")
        } else {
            emit(
                "  integrity: \(integrity.count) problem\(integrity.count == 1 ? "" : "s"), first: "
                    + TerminalSafe.escape(integrity[0]))
            problems += 1
            if repair { store = try moveAsideAndStartNew(emit: emit) }
        }
        emit(
            "  schema version: \(try store.schemaVersionFound()) "
                + "(this picseek: \(IndexStore.schemaVersion))"
        )
        if let reason = store.readOnlyReason, IndexStore.writeProblem(at: path) != nil {
            emit(
                "  read-only: " + TerminalSafe.escape(reason)
                    + " (search, status, errors and explore still work)")
        }
        let summary = try store.summary()
        emit("  photos: \(summary.photos) (\(summary.failed) failed)")
        for (model, vectors) in summary.models {
            var line = "  model \(TerminalSafe.escape(model.name)): \(vectors) vectors"
            if !isModelInstalled(model.name) {
                line +=
                    "; note: no installed model has this name (search with --model FOLDER, "
                    + "or picseek model fetch or import it)"
            }
            emit(line)
        }
        let orphans = try store.orphanVectorCount()
        if orphans > 0 {
            problems += 1
            emit("  vectors without a photo or model: \(orphans)")
        }
        let photos = try store.allPhotos()
        var gone: [[UInt8]] = []
        for photo in photos where !Self.exists(photo.path) { gone.append(photo.path) }
        if !gone.isEmpty {
            problems += 1
            emit(
                "  photos whose files are gone: \(gone.count) (the next picseek index removes them)"
            )
            for path in gone.prefix(5) { emit("    " + RawPath.display(path)) }
            if gone.count > 5 { emit("    …") }
        }
        if repair {
            if store.isReadOnly { store = try IndexStore.open(path: path) }
            if orphans > 0 {
                emit(
                    "  repaired: deleted \(try store.deleteOrphanVectors()) vectors without a photo"
                )
            }
        }
        problems += try checkThumbnails(store: &store, photos: photos, emit: emit)
        return problems
    }

    private func checkThumbnails(
        store: inout IndexStore, photos: [StoredPhoto], emit: (String) -> Void
    ) throws -> Int {
        let thumbPath = DatabaseLocation.thumbnailPath(forIndexAt: path)
        emit("thumbnails: \(TerminalSafe.escape(thumbPath))")
        var problems = 0
        if let problem = store.thumbnails.problem {
            let missingFile = !FileManager.default.fileExists(atPath: thumbPath)
            emit("  " + (missingFile ? "missing" : "unreadable: " + TerminalSafe.escape(problem)))
            problems += 1
            guard repair else { return problems }
            if !missingFile {
                let moved = try IndexStore.moveAside(path: thumbPath)
                emit("  repaired: moved it to \(TerminalSafe.escape(moved)) (kept)")
            }
            store = try IndexStore.open(path: path)
        } else if let lines = try? store.thumbnailFile.integrityCheck(), lines != ["ok"] {
            emit("  integrity: \(lines.count) problem\(lines.count == 1 ? "" : "s")")
            problems += 1
            guard repair else { return problems }
            let moved = try IndexStore.moveAside(path: thumbPath)
            emit("  repaired: moved it to \(TerminalSafe.escape(moved)) (kept)")
            store = try IndexStore.open(path: path)
        }
        let stored = try store.thumbnailFile.hashes()
        let used = Set(photos.compactMap { $0.error == nil ? $0.contentHash : nil })
        let unused = stored.subtracting(used).count
        let missing = photos.filter {
            $0.error == nil && $0.contentHash.map { !stored.contains($0) } ?? false
        }
        emit("  previews: \(stored.count), unused \(unused), photos without one \(missing.count)")
        if unused > 0 || !missing.isEmpty { problems += 1 }
        guard repair, unused > 0 || !missing.isEmpty else { return problems }
        if store.isReadOnly { store = try IndexStore.open(path: path) }
        if unused > 0 {
            emit(
                "  repaired: deleted \(try store.thumbnails.prune(keeping: used)) unused previews")
        }
        var made = 0
        var failed = 0
        var batch: [(hash: [UInt8], thumbnail: Thumbnail)] = []
        var seen = Set<[UInt8]>()
        for photo in missing {
            guard let hash = photo.contentHash, seen.insert(hash).inserted else { continue }
            do {
                let (bytes, _) = try FileReader.read(photo.path, limit: 1 << 30)
                let image = try makeThumbnail(bytes)
                batch.append(
                    (
                        hash,
                        Thumbnail(
                            jpeg: try encodeThumbnail(image, IndexOptions().thumbnailQuality),
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
        emit(
            "  repaired: made \(made) previews again"
                + (failed > 0 ? ", \(failed) photos unreadable" : ""))
        return problems
    }

    private func moveAsideAndStartNew(emit: (String) -> Void) throws -> IndexStore {
        let moved = try IndexStore.moveAside(path: path)
        emit("  repaired: moved it to \(TerminalSafe.escape(moved)) (kept, nothing deleted)")
        let store = try IndexStore.open(path: path)
        emit(
            "  started a new index at \(TerminalSafe.escape(path)): "
                + "picseek index FOLDER fills it again"
        )
        return store
    }

    private static func exists(_ path: [UInt8]) -> Bool {
        var info = stat()
        return RawPath.withCString(path) { lstat($0, &info) } == 0
    }
}
