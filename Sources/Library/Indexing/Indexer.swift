import Foundation
import PicseekCore
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// The indexing worker: scans roots, diffs them against the store, and
/// embeds what is new or changed in a two-thread pipeline, committing in
/// batches.
///
/// One thread reads, hashes and decodes files into a bounded queue; the
/// calling thread embeds batches and writes them. Every commit is a single
/// transaction holding rows and vectors together, so a crash (even `kill -9`)
/// at any moment leaves a consistent index that the next run completes.
public final class Indexer {
    let store: any PhotoIndex
    let embedder: any Embedder
    let processor: PhotoProcessor
    let encodeThumbnail: ThumbnailEncoder
    let options: IndexOptions
    /// Receives warnings while a run goes on: too little free space for the photos to add,
    /// thumbnails that could not be saved.
    public var warn: ((String) -> Void)?

    /// An indexer writing to `store` with `embedder`'s model: `processor` decodes photos
    /// and `encodeThumbnail` encodes their thumbnails (the executable passes Imaging's).
    public init(
        store: any PhotoIndex, embedder: any Embedder, processor: @escaping PhotoProcessor,
        encodeThumbnail: @escaping ThumbnailEncoder, options: IndexOptions = IndexOptions()
    ) {
        self.store = store
        self.embedder = embedder
        self.processor = processor
        self.encodeThumbnail = encodeThumbnail
        self.options = options
    }

    /// Indexes the folders `roots` (raw paths, relative or absolute) for the
    /// embedder's model and returns what changed.
    ///
    /// Files in `unsettled` (still being written) are left as the index has them.
    /// Throws `StoreError.busy` when another indexer holds the database.
    public func run(
        roots: [[UInt8]], unsettled: Set<[UInt8]> = [], control: IndexControl = IndexControl(),
        progress: ((IndexProgress) -> Void)? = nil
    ) throws -> IndexReport {
        var report = IndexReport()
        var canonicalRoots: [[UInt8]] = []
        var rootErrors: [String] = []
        for root in roots {
            switch RawPath.canonical(root) {
            case .success(let path):
                if !canonicalRoots.contains(path) { canonicalRoots.append(path) }
            case .failure(let error):
                report.problems.append(ScanProblem(path: root, error: error))
                rootErrors.append(error.description)
            }
        }
        guard !canonicalRoots.isEmpty else {
            // Without a usable root there is nothing to write: fail before taking the lock.
            throw IndexError.noUsableRoot(rootErrors)
        }
        let targets = canonicalRoots.map { ScanTarget(path: $0, isRoot: true) }
        return try perform(
            targets, unsettled: unsettled, report: report, control: control, progress: progress)
    }

    /// Rescans only `folders` (canonical absolute paths at or below roots of the
    /// index, each with everything under it) and brings their rows up to date, as
    /// `run` does for whole roots; a watcher calls this with the folders that changed.
    ///
    /// Files in `unsettled` (still being written) are left as the index has them:
    /// neither read nor removed. A folder that is itself a root keeps its rows when it
    /// comes back empty (an unmounted drive), as in `run`; a subfolder that cannot be
    /// opened keeps its rows too. Throws `StoreError.busy` when another indexer holds
    /// the database.
    public func update(
        folders: [[UInt8]], unsettled: Set<[UInt8]> = [], control: IndexControl = IndexControl(),
        progress: ((IndexProgress) -> Void)? = nil
    ) throws -> IndexReport {
        let roots = try store.roots().map(\.path)
        var targets: [ScanTarget] = []
        for folder in folders where !targets.contains(where: { $0.path == folder }) {
            targets.append(ScanTarget(path: folder, isRoot: roots.contains(folder)))
        }
        guard !targets.isEmpty else { return IndexReport() }
        return try perform(
            targets, unsettled: unsettled, report: IndexReport(), control: control,
            progress: progress)
    }

    /// A folder to scan; roots are registered, marked scanned, and kept when empty.
    struct ScanTarget {
        var path: [UInt8]
        var isRoot: Bool
    }

    /// Takes the writer lock, records a run around `runBody`.
    private func perform(
        _ targets: [ScanTarget], unsettled: Set<[UInt8]>, report initial: IndexReport,
        control: IndexControl, progress: ((IndexProgress) -> Void)?
    ) throws -> IndexReport {
        let lock = try store.lockForIndexing()
        defer { lock?.release() }
        let started = Date()
        let identity = embedder.model
        let model = try store.registerModel(
            name: identity.name, family: identity.family, dimension: identity.dimension,
            fingerprint: identity.fingerprint)

        var report = initial
        let runID = try store.beginRun(model: model)
        var counts = RunCounts()
        do {
            let cancelled = try runBody(
                targets: targets, unsettled: unsettled, model: model, control: control,
                lock: lock, report: &report, progress: progress)
            report.cancelled = cancelled
            counts.added = report.added + report.duplicates
            counts.updated = report.updated
            counts.moved = report.moved
            counts.failed = report.failed
            counts.removed = report.removed
            report.seconds = Date().timeIntervalSince(started)
            try store.finishRun(
                runID, outcome: cancelled ? "cancelled" : "completed", counts: counts)
            try store.checkpoint()
            return report
        } catch {
            try? store.finishRun(runID, outcome: "failed: \(error)", counts: counts)
            throw error
        }
    }

    /// Scan, diff, pipeline, removals. Returns true when cancelled.
    /// The device of each root, to notice one that is unmounted or removed during the run.
    static func devices(of roots: [[UInt8]]) -> [[UInt8]: UInt64] {
        var out: [[UInt8]: UInt64] = [:]
        for root in roots {
            var info = stat()
            if RawPath.withCString(root, { stat($0, &info) }) == 0 {
                out[root] = UInt64(info.st_dev)
            }
        }
        return out
    }

    /// Bytes the index and thumbnail files grow by per added photo, roughly: the vector,
    /// the photo row and index entries, and a JPEG preview of about 20 KB.
    static func bytesPerPhoto(dimension: Int) -> Int64 { Int64(dimension * 4) + 1_500 + 24_000 }

    /// Warns when the disk holding the index has less room than `photos` new photos need.
    private func preflightSpace(photos: Int, model: ModelRecord) {
        guard photos > 0, store.path != ":memory:",
            let free = FreeSpace.available(near: store.path)
        else { return }
        let needed = Int64(photos) * Self.bytesPerPhoto(dimension: model.dimension)
        if free < needed {
            func mb(_ bytes: Int64) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }
            warn?(
                "\(mb(free)) free at \(store.path), \(photos) photos to add need about "
                    + "\(mb(needed)); indexing stops cleanly if the disk fills up")
        }
    }

    private func runBody(
        targets: [ScanTarget], unsettled: Set<[UInt8]>, model: ModelRecord,
        control: IndexControl, lock: (any IndexWriteLock)?, report: inout IndexReport,
        progress: ((IndexProgress) -> Void)?
    ) throws -> Bool {
        var status = IndexProgress(
            phase: .scanning, scanned: 0, done: 0, total: 0, failed: 0, reused: 0, rate: 0,
            eta: nil, current: nil, lastError: nil)
        progress?(status)

        // 1. Scan.
        let scanner = FileScanner(options: options.scan)
        var files: [[UInt8]: FileStamp] = [:]
        var scannedRoots: [[UInt8]] = []
        for target in targets {
            let root = target.path
            if target.isRoot { try store.addRoot(root) }
            let result = scanner.scan(root: root)
            report.problems += result.problems
            report.skipped.merge(result.skipped, uniquingKeysWith: +)
            // A root that could not be opened at all is not scanned: its rows stay.
            if result.folders > 0 { scannedRoots.append(root) }
            for file in result.files where !unsettled.contains(file.path) {
                files[file.path] = file
            }
            status.scanned = files.count
            progress?(status)
            if !control.proceed() { return true }
        }
        report.scanned = files.count

        // 2. Diff against the store.
        let states = try store.photoStates(under: scannedRoots, modelID: model.id)
        var work: [FileStamp] = []
        for file in files.values {
            if let state = states[file.path], state.size == file.size,
                state.mtimeNs == file.mtimeNs, state.embedded || state.failed
            {
                report.unchanged += 1
            } else {
                work.append(file)
            }
        }
        work.sort { $0.path.lexicographicallyPrecedes($1.path) }
        // A root that came back empty while the index knows photos under it
        // is more likely an unmounted drive than a deliberate wipe: keep its rows.
        let wholeRoots = targets.filter(\.isRoot).map(\.path)
        for root in scannedRoots
        where wholeRoots.contains(root)
            && !files.keys.contains(where: { RawPath.isUnder($0, root) })
        {
            let known = states.keys.filter { RawPath.isUnder($0, root) }.count
            if known > 0 {
                report.problems.append(
                    ScanProblem(path: root, error: .emptyRoot(path: root, kept: known)))
            }
        }
        let unreadable = report.problems.map(\.path)
        var missing: [[UInt8]] = []
        for (path, _) in states where files[path] == nil && !unsettled.contains(path) {
            // Keep rows in folders we could not read: they may still exist.
            if unreadable.contains(where: { RawPath.isUnder(path, $0) }) { continue }
            if scannedRoots.contains(where: { RawPath.isUnder(path, $0) }) { missing.append(path) }
        }
        let missingPaths = Set(missing)

        // 3. Embed what changed.
        status.phase = .indexing
        status.total = work.count
        progress?(status)
        preflightSpace(photos: work.count, model: model)
        // Hashes already embedded, for moves and renames (not needed when idle).
        let reusable = work.isEmpty ? [] : try store.embeddedHashes(modelID: model.id)
        var pass = Pass(
            indexer: self, model: model, control: control, progress: progress,
            missingPaths: missingPaths, rootDevices: Self.devices(of: scannedRoots),
            status: status, started: Date())
        var retry: [FileStamp]
        if let lock, lock.sharesWork {
            retry = try runSharing(
                work, lock: lock, pass: &pass, reusable: reusable, model: model, report: &report)
        } else {
            retry = try pass.run(work, reusable: reusable, report: &report)
        }
        if !retry.isEmpty && !pass.cancelled {
            // Content we hoped to copy vanished meanwhile: embed it after all.
            retry = try pass.run(retry, reusable: [], report: &report)
        }
        if pass.cancelled { return true }
        status = pass.status

        // 4. Drop rows of files that are gone.
        status.phase = .removing
        progress?(status)
        var index = 0
        let sortedMissing = missing.sorted { $0.lexicographicallyPrecedes($1) }
        while index < sortedMissing.count {
            if !control.proceed() { return true }
            let chunk = sortedMissing[index..<min(index + 500, sortedMissing.count)]
            let outcomes = try store.apply(chunk.map { .removed(path: $0) }, model: model)
            report.removed += outcomes.filter { $0 == .removed(true) }.count
            index += chunk.count
        }
        if report.removed + report.updated > 0 {
            // Previews of contents no photo has any more.
            _ = try store.thumbnails.prune(keeping: store.contentHashes())
        }
        for root in scannedRoots where wholeRoots.contains(root) {
            try store.markScanned(root: root)
        }
        status.phase = .finished
        status.current = nil
        progress?(status)
        return false
    }

    /// Embeds `work` folder by folder, each claimed from the indexers sharing the database
    /// (`IndexWriteLock.claim`): folders another indexer holds are done last, after waiting
    /// for it; before a claimed folder is embedded, what was committed meanwhile is left out,
    /// so every photo is embedded once whichever indexer gets to it.
    private func runSharing(
        _ work: [FileStamp], lock: any IndexWriteLock, pass: inout Pass,
        reusable: Set<[UInt8]>, model: ModelRecord, report: inout IndexReport
    ) throws -> [FileStamp] {
        var byFolder: [[UInt8]: [FileStamp]] = [:]
        for file in work {
            var folder = file.path
            while let last = folder.last, last != UInt8(ascii: "/") { folder.removeLast() }
            if folder.count > 1 { folder.removeLast() }
            byFolder[folder, default: []].append(file)
        }
        let folders = byFolder.keys.sorted { $0.lexicographicallyPrecedes($1) }
        var retry: [FileStamp] = []
        var later: [[UInt8]] = []
        for wait in [false, true] {
            for folder in wait ? later : folders {
                if pass.cancelled { return retry }
                guard try lock.claim(folder: folder, wait: wait) else {
                    later.append(folder)
                    continue
                }
                defer { lock.unclaim(folder: folder) }
                let files = byFolder[folder] ?? []
                let now = try store.photoStates(under: [folder], modelID: model.id)
                let left = files.filter { file in
                    guard let state = now[file.path] else { return true }
                    return
                        !(state.size == file.size && state.mtimeNs == file.mtimeNs
                        && (state.embedded || state.failed))
                }
                report.unchanged += files.count - left.count
                pass.status.total -= files.count - left.count
                if !left.isEmpty {
                    retry += try pass.run(left, reusable: reusable, report: &report)
                }
            }
        }
        return retry
    }
}
