import Foundation
import PicseekCore
import Store

#if canImport(Glibc)
    import Glibc
#endif

/// A file after the decode thread: ready to embed, to copy, or failed.
enum Prepared {
    case decoded(
        FileStamp, hash: [UInt8], input: [Float], metadata: PhotoMetadata,
        thumbnail: Thumbnail?)
    case reuse(FileStamp, hash: [UInt8])
    case failed(FileStamp, hash: [UInt8]?, error: String)

    var stamp: FileStamp {
        switch self {
        case .decoded(let s, _, _, _, _), .reuse(let s, _), .failed(let s, _, _): return s
        }
    }
}

/// One pass of the two-thread pipeline over a list of files.
struct Pass {
    let indexer: Indexer
    let model: ModelRecord
    let control: IndexControl
    let progress: ((IndexProgress) -> Void)?
    let missingPaths: Set<[UInt8]>
    /// The device each root was on when scanned.
    let rootDevices: [[UInt8]: UInt64]
    var status: IndexProgress
    let started: Date
    var cancelled = false
    var thumbnailsFailed = false

    /// Runs the pipeline over `items`; returns the files whose vector could
    /// not be copied after all (to embed in a second pass).
    mutating func run(
        _ items: [FileStamp], reusable: Set<[UInt8]>, report: inout IndexReport
    ) throws -> [FileStamp] {
        let queue = BoundedQueue<Prepared>(capacity: indexer.options.queueCapacity)
        let producerDone = DispatchSemaphore(value: 0)
        let decoders = max(1, indexer.options.decodeThreads)
        let next = NextItem()
        let running = NextItem()
        for _ in 0..<decoders {
            let producer = Thread { [indexer, control] in
                defer { producerDone.signal() }
                Self.produce(
                    items, next: next, reusable: reusable, indexer: indexer, control: control,
                    into: queue)
                if running.take() == decoders - 1 { queue.finish() }
            }
            producer.name = "picseek-decode"
            producer.start()
        }
        defer {
            queue.close()
            for _ in 0..<decoders { producerDone.wait() }
        }
        return try consume(queue, report: &report)
    }

    /// The decode thread: read, hash, decode, make the thumbnail.
    private static func produce(
        _ items: [FileStamp], next: NextItem, reusable: Set<[UInt8]>, indexer: Indexer,
        control: IndexControl,
        into queue: BoundedQueue<Prepared>
    ) {
        let spec = indexer.embedder.preprocess
        let options = indexer.options
        while true {
            let index = next.take()
            guard index < items.count else { break }
            let item = items[index]
            if !control.proceed() { break }
            let prepared: Prepared
            do {
                let (bytes, stamp) = try FileReader.read(item.path, limit: options.maxFileBytes)
                let hash = SHA256.hash(bytes)
                if reusable.contains(hash) {
                    prepared = .reuse(stamp, hash: hash)
                } else {
                    do {
                        let photo = try indexer.processor(bytes, spec)
                        prepared = .decoded(
                            stamp, hash: hash, input: photo.input, metadata: photo.metadata,
                            thumbnail: thumbnail(
                                photo.thumbnail, quality: options.thumbnailQuality,
                                encode: indexer.encodeThumbnail))
                    } catch {
                        prepared = .failed(stamp, hash: hash, error: "\(error)")
                    }
                }
            } catch {
                prepared = .failed(item, hash: nil, error: error.reason)
            }
            if !queue.push(prepared) { break }
        }
    }

    private static func thumbnail(
        _ image: RGBImage, quality: Int, encode: ThumbnailEncoder
    ) -> Thumbnail? {
        guard image.width > 0, image.height > 0,
            let jpeg = try? encode(image, quality)
        else { return nil }
        return Thumbnail(jpeg: jpeg, width: image.width, height: image.height)
    }

    /// The encoder thread (the caller's): embed batches, commit changes.
    private mutating func consume(
        _ queue: BoundedQueue<Prepared>, report: inout IndexReport
    ) throws -> [FileStamp] {
        let options = indexer.options
        var batch: [(FileStamp, [UInt8], [Float], PhotoMetadata, Thumbnail?)] = []
        var changes: [PhotoChange] = []
        var thumbs: [(hash: [UInt8], thumbnail: Thumbnail)] = []
        var retry: [FileStamp] = []
        var lastCommit = Date()

        func embedBatch() throws {
            guard !batch.isEmpty else { return }
            let vectors = try indexer.embedder.embedImages(batch.map(\.2))
            guard vectors.count == batch.count else {
                throw IndexError.embedderContract(
                    "\(vectors.count) vectors for a batch of \(batch.count) images")
            }
            for (item, vector) in zip(batch, vectors) {
                guard vector.count == model.dimension, vector.allSatisfy(\.isFinite) else {
                    throw IndexError.embedderContract(
                        "vector of \(vector.count) values (expected \(model.dimension) finite)")
                }
                changes.append(.embedded(item.0, hash: item.1, metadata: item.3, vector: vector))
                if let thumb = item.4 { thumbs.append((item.1, thumb)) }
            }
            report.embedded += batch.count
            batch.removeAll(keepingCapacity: true)
        }

        func commit() throws {
            guard !changes.isEmpty else { return }
            // Thumbnails first: a crash between the two leaves only an unused thumbnail.
            // Previews are a cache: when their file cannot take them (full, damaged), the
            // index rows are still written and `picseek doctor --repair` adds them later.
            do {
                try indexer.store.thumbnails.put(thumbs)
            } catch {
                if !thumbnailsFailed {
                    indexer.warn?(Indexer.thumbnailsNotSaved("\(error)"))
                }
                thumbnailsFailed = true
            }
            let outcomes = try indexer.store.apply(changes, model: model)
            for (change, outcome) in zip(changes, outcomes) {
                tally(change, outcome, report: &report, retry: &retry)
            }
            changes.removeAll(keepingCapacity: true)
            thumbs.removeAll(keepingCapacity: true)
            lastCommit = Date()
            progress?(status)
        }

        while true {
            if !control.proceed() {
                cancelled = true
                break
            }
            guard let item = queue.pop() else { break }
            status.current = item.stamp.path
            switch item {
            case .decoded(let stamp, let hash, let input, let metadata, let thumb):
                batch.append((stamp, hash, input, metadata, thumb))
                if batch.count >= options.batchSize { try embedBatch() }
            case .reuse(let stamp, let hash):
                changes.append(.reused(stamp, hash: hash))
            case .failed(let stamp, let hash, let error):
                if hash == nil, let root = vanishedRoot(of: stamp.path) {
                    // Not this file's fault: its folder went away. Keep what is done, record
                    // nothing for the files that cannot be read now, and stop.
                    try commit()
                    throw IndexError.rootVanished(path: root)
                }
                changes.append(.failed(stamp, hash: hash, error: error))
                status.lastError = RawPath.display(stamp.path) + ": " + TerminalSafe.escape(error)
            }
            status.done += 1
            let elapsed = Date().timeIntervalSince(started)
            if elapsed > 0 {
                status.rate = Double(status.done) / elapsed
                status.eta =
                    status.rate > 0
                    ? Double(max(0, status.total - status.done)) / status.rate : nil
            }
            if changes.count >= options.commitEvery
                || (!changes.isEmpty
                    && Date().timeIntervalSince(lastCommit) >= options.commitInterval)
            {
                try commit()
            } else {
                progress?(status)
            }
        }
        if !cancelled { try embedBatch() }
        try commit()
        status.done -= retry.count
        return retry
    }

    /// The root of `path` when it is gone or on another device than when scanned.
    private func vanishedRoot(of path: [UInt8]) -> [UInt8]? {
        for (root, device) in rootDevices where RawPath.isUnder(path, root) {
            var info = stat()
            let status = RawPath.withCString(root) { stat($0, &info) }
            if status != 0 || UInt64(info.st_dev) != device {
                return root
            }
        }
        return nil
    }

    private mutating func tally(
        _ change: PhotoChange, _ outcome: ChangeOutcome, report: inout IndexReport,
        retry: inout [FileStamp]
    ) {
        switch outcome {
        case .added: report.added += 1
        case .updated: report.updated += 1
        case .reused(let source):
            status.reused += 1
            if case .reused(let stamp, _) = change, stamp.path == source {
                report.updated += 1 // touched, same content: kept its own vector
            } else if missingPaths.contains(source) {
                report.moved += 1
            } else {
                report.duplicates += 1
            }
        case .reuseMissed:
            if case .reused(let stamp, _) = change { retry.append(stamp) }
        case .failed:
            report.failed += 1
            status.failed += 1
        case .removed: break
        }
    }
}

/// A counter shared by the decode threads: each `take` returns the next number.
final class NextItem: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
