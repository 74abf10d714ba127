import Foundation
import PicseekCore
import Store

/// Copies an index into another, in either direction between SQLite and PostgreSQL, without
/// embedding anything again: folders, photos with their facts and errors, every model's
/// vectors, thumbnails and the words read in photos (`picseek db copy`); named roots keep
/// their names and every machine's mount points.
///
/// Resumable: the destination is written in batches of one transaction each, and what it
/// already holds (same path, size, time and content with the model's vector) is skipped, so a
/// copy stopped anywhere (even by `kill -9`) continues where it stopped when run again.
public enum IndexCopy {
    /// What a copy did.
    public struct Report: Equatable, Sendable {
        /// Photo vectors written (one per photo and model).
        public var vectors = 0
        /// Photos that could not be indexed, copied with their errors.
        public var failed = 0
        /// Photo vectors the destination had already.
        public var alreadyThere = 0
        /// Thumbnails written.
        public var thumbnails = 0
        /// Photo contents whose recognised words were written.
        public var texts = 0
        /// Models registered or found in the destination.
        public var models = 0

        /// Creates an empty report.
        public init() {}

        /// One line for the terminal, locations escaped.
        public func line(from source: String, to destination: String) -> String {
            "copied \(vectors) vectors of \(models) model\(models == 1 ? "" : "s"), "
                + "\(failed) failed photos, \(thumbnails) thumbnails and the words of \(texts) "
                + "photos from \(TerminalSafe.escape(source)) to "
                + "\(TerminalSafe.escape(destination)); \(alreadyThere) vectors were there already"
        }
    }

    /// Copies `source` into `destination` (which the caller has locked for writing), `batch`
    /// photos per transaction; `progress` hears each batch's running count of vectors written.
    public static func run(
        from source: any PhotoIndex, to destination: any PhotoIndex, batch: Int = 500,
        progress: ((Int) -> Void)? = nil
    ) throws -> Report {
        var report = Report()
        let roots = try source.roots()
        // Named roots and every machine's mount points first, so the destination stores the
        // photos under them relative to their root, as the source does.
        for root in roots {
            guard let name = root.name else { continue }
            for mount in root.mounts {
                try destination.recordMount(root: name, host: mount.host, path: mount.path)
            }
            if root.mounts.isEmpty { try destination.addRoot(RootPaths.rootKey(name)) }
        }
        for root in roots {
            try destination.addRoot(root.path)
            try destination.setReadsWords(root.readsWords, root: root.path)
            if root.lastScanAt != nil { try destination.markScanned(root: root.path) }
        }
        let photos = try source.allPhotos()
        let byID = Dictionary(photos.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var lastModel: ModelRecord?
        for model in try source.models() {
            let target = try destination.registerModel(
                name: model.name, family: model.family, dimension: model.dimension,
                fingerprint: model.fingerprint)
            lastModel = target
            report.models += 1
            let vectors = try source.loadVectors(model: model)
            let there = try destination.photoStates(
                under: [[UInt8(ascii: "/")]] + roots.filter { $0.name != nil }.map(\.path),
                modelID: target.id)
            var pending: [PhotoChange] = []
            for (row, id) in vectors.ids.enumerated() {
                guard let photo = byID[id], let hash = photo.contentHash else { continue }
                let stamp = FileStamp(path: photo.path, size: photo.size, mtimeNs: photo.mtimeNs)
                if let state = there[photo.path], state.embedded, state.contentHash == hash,
                    state.size == photo.size, state.mtimeNs == photo.mtimeNs
                {
                    report.alreadyThere += 1
                    continue
                }
                let start = row * model.dimension
                let vector = Array(vectors.matrix[start..<(start + model.dimension)])
                let metadata = PhotoMetadata(
                    width: photo.width ?? 0, height: photo.height ?? 0, takenAt: photo.takenAt,
                    camera: photo.camera)
                pending.append(.embedded(stamp, hash: hash, metadata: metadata, vector: vector))
                if pending.count >= batch {
                    _ = try destination.apply(pending, model: target)
                    report.vectors += pending.count
                    pending.removeAll(keepingCapacity: true)
                    progress?(report.vectors)
                }
            }
            _ = try destination.apply(pending, model: target)
            report.vectors += pending.count
            progress?(report.vectors)
        }
        if let model = lastModel {
            var pending: [PhotoChange] = []
            for photo in photos where photo.error != nil {
                let stamp = FileStamp(path: photo.path, size: photo.size, mtimeNs: photo.mtimeNs)
                if let there = try destination.photo(path: photo.path), there.error == photo.error,
                    there.size == photo.size, there.mtimeNs == photo.mtimeNs
                {
                    continue
                }
                pending.append(.failed(stamp, hash: photo.contentHash, error: photo.error ?? ""))
            }
            for start in stride(from: 0, to: pending.count, by: batch) {
                let part = Array(pending[start..<min(start + batch, pending.count)])
                _ = try destination.apply(part, model: model)
                report.failed += part.count
            }
        }
        var thumbnails: [(hash: [UInt8], thumbnail: Thumbnail)] = []
        for hash in Set(photos.compactMap(\.contentHash)).sorted(by: {
            $0.lexicographicallyPrecedes($1)
        }) {
            if try destination.recognizedText(for: hash) == nil,
                let text = try source.recognizedText(for: hash)
            {
                try destination.putText(text, for: hash)
                report.texts += 1
            }
            guard try !destination.thumbnails.contains(hash: hash),
                let thumbnail = try source.thumbnails.get(hash: hash)
            else { continue }
            thumbnails.append((hash, thumbnail))
            if thumbnails.count >= batch {
                try destination.thumbnails.put(thumbnails)
                report.thumbnails += thumbnails.count
                thumbnails.removeAll(keepingCapacity: true)
            }
        }
        try destination.thumbnails.put(thumbnails)
        report.thumbnails += thumbnails.count
        return report
    }
}
