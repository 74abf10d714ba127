import Foundation
import PicseekCore
import Store
import Tensor

/// Answers queries over one model's vectors, held in memory as one
/// contiguous matrix and reloaded when the index changes.
///
/// Not thread-safe: use one engine per thread (the explorer keeps one).
public final class SearchEngine {
    let store: any PhotoIndex
    let embedder: any Embedder
    let processor: PhotoProcessor?
    /// Prompt templates for text terms.
    public var templates: PromptTemplates
    /// How rows are scored. `int8Rescored` by default: `picseek bench search`
    /// measured the C int8 pass (AVX2 here) fastest, ahead of the C and Swift
    /// bf16 passes and OpenBLAS sgemv; it keeps an int8 copy of the matrix
    /// (+25 % memory) and the final scores are exact float32.
    public let scoring: ScoringMethod
    /// Rows rescored in float32 after the int8 pass.
    public static let rescoreCandidates = Int8RescoredScorer.candidates

    /// The vectors in use; nil until the first search or `refresh()`.
    public private(set) var vectors: VectorSet?
    private var dates: [String]?
    private var scorer: (any RowScorer)?

    /// An engine for `embedder`'s model. `processor` turns image terms into
    /// model input; without it image terms are an error.
    public init(
        store: any PhotoIndex, embedder: any Embedder, processor: PhotoProcessor? = nil,
        templates: PromptTemplates = .standard, scoring: ScoringMethod = .int8Rescored
    ) {
        self.store = store
        self.embedder = embedder
        self.processor = processor
        self.templates = templates
        self.scoring = scoring
    }

    /// Loads the vectors if the index changed since they were read (one
    /// small query when it did not). Returns true when it reloaded.
    @discardableResult
    public func refresh() throws -> Bool {
        let generation = try store.generation()
        if let vectors, vectors.generation == generation { return false }
        let identity = embedder.model
        guard let model = try store.model(named: identity.name) else {
            throw SearchError.noVectors(model: identity.name)
        }
        guard model.fingerprint == identity.fingerprint, model.dimension == identity.dimension
        else {
            throw SearchError.fingerprintMismatch(
                model: model.name, stored: model.fingerprint, loaded: identity.fingerprint)
        }
        vectors = try store.loadVectors(model: model)
        dates = nil
        scorer = nil
        return true
    }

    /// Runs a search and returns hits, best first.
    public func search(_ request: SearchRequest) throws -> [Hit] {
        try refresh()
        guard let set = vectors else { return [] }
        var exclude: Int?
        let query: [Float]
        switch request.query {
        case .text(let text):
            query = try vector(for: try QueryParser.parse(text), request: request)
        case .terms(let terms):
            query = try vector(for: terms, request: request)
        case .similarTo(let id):
            guard let row = set.ids.firstIndex(of: id) else { throw SearchError.unknownPhoto(id) }
            let d = set.model.dimension
            query = Array(set.matrix[(row * d)..<((row + 1) * d)])
            exclude = row
        }
        return rank(query, in: set, request: request, exclude: exclude)
    }

    /// The unit query vector for weighted terms: Σ weight × unit(term), normalised.
    public func vector(for terms: [QueryTerm], request: SearchRequest) throws -> [Float] {
        let d = embedder.model.dimension
        var sum = [Float](repeating: 0, count: d)
        for term in terms {
            let v: [Float]
            switch term.kind {
            case .text(let text):
                let language = request.language.resolved(for: text)
                let prompt = request.useTemplates ? templates.apply(text, language: language) : text
                v = try embedder.embedText(prompt)
            case .image(let path):
                v = try embedImage(path)
            }
            guard v.count == d else {
                throw SearchError.wrongDimension(expected: d, found: v.count)
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0, norm.isFinite else { continue }
            for i in 0..<d { sum[i] += term.weight * v[i] / norm }
        }
        let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 1e-6, norm.isFinite else { throw SearchError.zeroQuery }
        return sum.map { $0 / norm }
    }

    private func embedImage(_ typed: String) throws -> [Float] {
        guard let processor else { throw SearchError.noImagePipeline }
        var path = typed
        if path.hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] {
            path = home + path.dropFirst(1)
        }
        let bytes: [UInt8]
        do {
            bytes = try FileReader.read(RawPath.bytes(path), limit: 512 << 20).0
        } catch {
            throw SearchError.badImageTerm(path: TerminalSafe.escape(typed), reason: error.reason)
        }
        let photo: ProcessedPhoto
        do {
            photo = try processor(bytes, embedder.preprocess)
        } catch {
            throw SearchError.badImageTerm(path: TerminalSafe.escape(typed), reason: "\(error)")
        }
        guard let v = try embedder.embedImages([photo.input]).first else {
            throw SearchError.badImageTerm(path: TerminalSafe.escape(typed), reason: "no vector")
        }
        return v
    }

    /// Scores every row, filters, selects the top k and applies the cutoff.
    func rank(
        _ query: [Float], in set: VectorSet, request: SearchRequest, exclude: Int?
    ) -> [Hit] {
        let n = set.count
        let d = set.model.dimension
        guard n > 0, request.top > 0 else { return [] }
        let datesNeeded = request.dates.map { !$0.isUnbounded } ?? false
        let rowDates = datesNeeded ? dateStrings(set) : nil
        let folder = request.folder
        let bounds = request.dates
        let filter: ((Int) -> Bool)?
        if folder == nil && !datesNeeded && exclude == nil {
            filter = nil
        } else {
            filter = { i in
                if i == exclude { return false }
                if let folder, !RawPath.isUnder(set.paths[i], folder) { return false }
                if let rowDates, let bounds, !bounds.contains(rowDates[i]) { return false }
                return true
            }
        }
        let scorer = self.scorer ?? scoring.scorer(matrix: set.matrix, rows: n, dimension: d)
        self.scorer = scorer
        let picked = scorer.top(request.top, query: query, include: filter)
        var hits = picked.map { pick in
            Hit(
                photoID: set.ids[pick.index], pathBytes: set.paths[pick.index], score: pick.score,
                date: rowDates?[pick.index] ?? date(of: pick.index, in: set))
        }
        if let best = hits.first?.score, let cutoff = request.cutoff {
            let floor: Float
            switch cutoff {
            case .ratio(let r): floor = best > 0 ? best * r : best
            case .delta(let delta): floor = best - delta
            }
            hits = hits.filter { $0.score >= floor }
        }
        // Ranked best first already; by date, equal dates by score (every hit has a date).
        return request.order == .score ? hits : request.order.sorted(hits)
    }

    private func date(of row: Int, in set: VectorSet) -> String {
        set.takenAt[row] ?? DateBounds.localDate(mtimeNs: set.mtimeNs[row])
    }

    private func dateStrings(_ set: VectorSet) -> [String] {
        if let dates, dates.count == set.count { return dates }
        let made = (0..<set.count).map { date(of: $0, in: set) }
        dates = made
        return made
    }
}
