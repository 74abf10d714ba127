import Explorer
import Foundation
import Imaging
import Library
import PicseekCore
import Store

/// The explorer's backend over the real index: searches with Library's
/// `SearchEngine`, reindexes with Library's `Indexer`, reads thumbnails and
/// photo facts from the index (`PhotoIndex`: SQLite or PostgreSQL).
///
/// Thread safety: the runtime calls each method kind from its own worker
/// queue. The search engine (not thread-safe) and the current model are
/// guarded by `lock`; a reindex runs with the model current when it starts
/// and writes under the store's writer lock while searches go on (the engine
/// reloads its matrix when the index generation changes). The words pass after
/// a reindex reads one photo at a time and gives way to the next reindex, so
/// vectors wait at most for the one photo being read.
public final class LibraryBackend: ExplorerBackend, @unchecked Sendable {
    /// A loaded model and what searches with it need.
    public struct LoadedModel {
        public var embedder: any Embedder
        public var processor: PhotoProcessor
        public var engine: SearchEngine
    }

    private let store: any PhotoIndex
    private let roots: [[UInt8]]
    private let folders: [String: String]
    private let load: (_ folder: String, _ name: String) throws -> (any Embedder, PhotoProcessor)
    private let encodeThumbnail: ThumbnailEncoder
    private let lock = NSLock()
    private var current: LoadedModel
    private let makeRecognizer: (() throws -> TextRecognition)?
    private var recognizer: TextRecognition?
    /// Held by a reindex and by each photo of the words pass, so the two never write at once.
    private let writing = NSLock()
    /// Set while a reindex runs or waits: the words pass stops at its next photo.
    private var reindexWaiting = false

    /// A backend over `store` answering with `embedder`. `roots` are the
    /// folders `r` reindexes (empty: the index's stored roots); `folders`
    /// maps model names (as the index stores them) to loadable folders, and
    /// `load` loads one for a switch. A reindex stores thumbnails made by
    /// `encodeThumbnail` (JPEG unless a test gives its own). After a reindex the words in
    /// photos are read with the recognizer `words` makes (once, when first needed); nil
    /// when reading words is off.
    public init(
        store: any PhotoIndex, roots: [[UInt8]], embedder: any Embedder,
        processor: @escaping PhotoProcessor,
        folders: [String: String],
        load: @escaping (_ folder: String, _ name: String) throws -> (any Embedder, PhotoProcessor),
        encodeThumbnail: @escaping ThumbnailEncoder = JPEG.thumbnailEncoder,
        words: (() throws -> TextRecognition)? = nil
    ) {
        self.store = store
        self.makeRecognizer = words
        self.encodeThumbnail = encodeThumbnail
        self.roots = roots
        self.folders = folders
        self.load = load
        current = LoadedModel(
            embedder: embedder, processor: processor,
            engine: SearchEngine(store: store, embedder: embedder, processor: processor))
    }

    private var model: LoadedModel {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// The name of the model answering searches.
    public var modelName: String { model.embedder.model.name }

    /// The model answering searches and embedding photos.
    public var embedder: any Embedder { model.embedder }

    // MARK: ExplorerBackend

    public func summary() throws -> IndexSummary {
        var summary = try store.summary(model: modelName, roots: roots) { folders[$0] != nil }
        // With reading words off here, none are waiting to be read by this explorer.
        if makeRecognizer == nil { summary.wordsPending = 0 }
        return summary
    }

    public func search(text: String, language: PromptLanguage, limit: Int) throws -> [Hit] {
        // `text:` terms match the words in photos, as in `picseek search`.
        let (rest, words) = TextQuery.split(text)
        if !words.isEmpty, rest.isEmpty {
            return try searchWords(TextSearch.phrases(words), limit: limit)
        }
        var request = SearchRequest(query: .text(words.isEmpty ? text : rest))
        request.top = limit
        request.language = language
        guard !words.isEmpty else { return try run(request) }
        lock.lock()
        defer { lock.unlock() }
        do {
            return try TextSearch.meaning(
                request, engine: current.engine, store: store, words: words, top: limit
            ).map { match in
                var hit = match.hit
                hit.snippet = match.snippet
                return hit
            }
        } catch SearchError.noVectors {
            return []
        }
    }

    public func searchWords(_ query: String, limit: Int) throws -> [Hit] {
        try TextSearch.hits(store: store, words: query, folder: nil, top: limit).map {
            Hit(
                photoID: $0.photoID, pathBytes: $0.path, score: Float($0.score),
                snippet: $0.snippet)
        }
    }

    public func readWords(
        progress: @escaping @Sendable (WordsProgress) -> Void
    ) throws -> IndexSummary {
        guard let recognize = try wordReader() else { return try summary() }
        let pass = TextPass(store: store, pipeline: ImagePipeline(), recognize: recognize)
        while !lock.withLock({ reindexWaiting }) {
            writing.lock()
            let report: TextPass.Report
            do {
                defer { writing.unlock() }
                report = try pass.run(limit: 1) { counts, current in
                    // Once before the photo and once at the end: report the first only.
                    guard current != nil else { return }
                    progress(WordsProgress(done: counts.done, pending: counts.pending))
                }
            }
            if !report.stoppedAtLimit { break }
        }
        let summary = try summary()
        progress(WordsProgress(done: summary.wordsRead, pending: summary.wordsPending))
        return summary
    }

    /// The recognizer, made on first use; nil when reading words is off.
    private func wordReader() throws -> TextRecognition? {
        guard let makeRecognizer else { return nil }
        lock.lock()
        let made = recognizer
        lock.unlock()
        if let made { return made }
        let recognize = try makeRecognizer()
        lock.lock()
        recognizer = recognize
        lock.unlock()
        return recognize
    }

    public func moreLikeThis(photoID: Int64, limit: Int) throws -> [Hit] {
        var request = SearchRequest(query: .similarTo(photoID: photoID))
        request.top = limit
        return try run(request)
    }

    private func run(_ request: SearchRequest) throws -> [Hit] {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try current.engine.search(request)
        } catch SearchError.noVectors {
            // Nothing indexed with this model yet (e.g. the first reindex is running).
            return []
        }
    }

    public func thumbnail(photoID: Int64) throws -> RGBImage? {
        // Stored thumbnails are 256 pixels on the long side; the grid wants about 128.
        try storedThumbnail(photoID: photoID, scale: 2)
    }

    public func detail(photoID: Int64) throws -> PhotoDetail {
        guard let photo = try store.photo(id: photoID) else {
            throw LibraryBackendError.unknownPhoto(photoID)
        }
        var metadata: PhotoMetadata?
        if let width = photo.width, let height = photo.height {
            metadata = PhotoMetadata(
                width: width, height: height, takenAt: photo.takenAt, camera: photo.camera)
        }
        // An index older than words in photos, opened read-only, has none.
        let words = photo.contentHash.flatMap { try? store.recognizedText(for: $0) }
        return PhotoDetail(
            photoID: photoID, pathBytes: photo.path, metadata: metadata,
            fileSize: photo.size,
            preview: preview(path: photo.path)
                ?? (try? storedThumbnail(photoID: photoID, scale: 1)),
            words: words)
    }

    public func reindex(
        progress: @escaping @Sendable (IndexProgress) -> Void
    ) throws -> IndexSummary {
        let targets =
            roots.isEmpty ? try store.roots().filter { $0.isMountedHere }.map(\.path) : roots
        guard !targets.isEmpty else { throw LibraryBackendError.noRoots }
        // Vectors first: a running words pass stops at its next photo.
        lock.withLock { reindexWaiting = true }
        writing.lock()
        defer {
            writing.unlock()
            lock.withLock { reindexWaiting = false }
        }
        let model = self.model
        let indexer = Indexer(
            store: store, embedder: model.embedder, processor: model.processor,
            encodeThumbnail: encodeThumbnail)
        let report = try indexer.run(roots: targets, progress: progress)
        var summary = try summary()
        summary.skipped = report.skipped.values.reduce(0, +)
        return summary
    }

    public func indexGeneration() throws -> Int64? { try store.generation() }

    public func switchModel(to name: String) throws -> IndexSummary {
        guard let folder = folders[name] else { throw LibraryBackendError.modelNotLoadable(name) }
        let (embedder, processor) = try load(folder, name)
        guard embedder.model.name == name else {
            throw LibraryBackendError.modelNotLoadable(name)
        }
        // Read the vectors before swapping, so searches keep the old model meanwhile.
        let engine = SearchEngine(store: store, embedder: embedder, processor: processor)
        try engine.refresh()
        lock.lock()
        current = LoadedModel(embedder: embedder, processor: processor, engine: engine)
        lock.unlock()
        return try summary()
    }

    // MARK: Helpers

    /// The photo itself at up to 768 pixels on its long side (upright), for a
    /// detail pane drawn in real pixels; nil when the file cannot be read now.
    private func preview(path: [UInt8]) -> RGBImage? {
        let pipeline = ImagePipeline(thumbnailSide: 768)
        guard let (data, _) = try? FileReader.read(path, limit: Int64(pipeline.maxFileBytes)) else {
            return nil
        }
        return try? pipeline.thumbnail(data: data).0
    }

    private func storedThumbnail(photoID: Int64, scale: Int) throws -> RGBImage? {
        guard let photo = try store.photo(id: photoID), let hash = photo.contentHash,
            let stored = try store.thumbnails.get(hash: hash)
        else { return nil }
        return try JPEG.decode(stored.jpeg, scale: scale, maxPixels: 4_000_000).image
    }

    /// Whether `folder` (canonical) lies under a root that was scanned at least once.
    public static func isIndexed(_ folder: [UInt8], roots: [RootRecord]) -> Bool {
        roots.contains { $0.lastScanAt != nil && RawPath.isUnder(folder, $0.path) }
    }
}

/// Why the index-backed explorer backend could not answer.
public enum LibraryBackendError: Error, Equatable, CustomStringConvertible {
    /// No photo with this id in the index.
    case unknownPhoto(Int64)
    /// A reindex with no folders named and none stored.
    case noRoots
    /// A switch to a model with no loadable folder here (or one that loads as another).
    case modelNotLoadable(String)

    public var description: String {
        switch self {
        case .unknownPhoto(let id): return "no photo with id \(id) in the index"
        case .noRoots:
            return "the index has no folders yet; run picseek explore DIR or picseek index DIR"
        case .modelNotLoadable(let name):
            return "model \(TerminalSafe.escape(name)) is not installed here"
        }
    }
}
