import Foundation
import PicseekCore
import Store
import Tensor

/// Answers queries over one model's vectors, reloaded when the index changes.
///
/// On an index in a file the vectors are read through the model's vector cache beside it
/// (`Store.VectorCache`: an int8 copy, memory-mapped, checked against the database on
/// open): the int8 pass scans the mapping, the few candidate rows are rescored with their
/// float32 vectors read by id, and paths and dates are read only for the hits (all rows'
/// only when a search filters by folder or date). A missing, stale or damaged cache is
/// rebuilt from the database when the index and its folder can be written (even through a
/// store opened read-only, as `picseek search` opens it); when they cannot (or for an
/// in-memory index) every vector is loaded into memory as one matrix instead. Both give the
/// same hits and scores.
///
/// Not thread-safe: use one engine per thread (the explorer keeps one).
public final class SearchEngine {
    let store: any PhotoIndex
    /// The same index when it is an SQLite file (`IndexStore`): only such an index has a
    /// vector cache beside it; a PostgreSQL index is read through `loadVectors`.
    private let fileIndex: IndexStore?
    /// The same index when it is in PostgreSQL: once a model has its HNSW index there
    /// (`PostgresStore.checkpoint` builds it after a run), searches run in the database,
    /// `rescoreCandidates` approximate neighbours re-ranked exactly, without reading every
    /// vector over the connection.
    private let database: PostgresStore?
    /// The model searched in the database, and the generation it was checked at; nil while
    /// the vectors are read into memory instead.
    private var inDatabase: (model: ModelRecord, generation: Int64, count: Int)?
    /// `databaseTimeZone`'s answer, once checked.
    private var checkedTimeZone: String??
    let embedder: any Embedder
    let processor: PhotoProcessor?
    /// Prompt templates for text terms.
    public var templates: PromptTemplates
    /// How rows are scored. `int8Rescored` by default: `picseek bench search`
    /// measured the C int8 pass (AVX2 here) fastest, ahead of the C and Swift
    /// bf16 passes and OpenBLAS sgemv; it keeps an int8 copy of the matrix
    /// (+25 % memory) and the final scores are exact float32. With the vector cache the
    /// int8 pass is always used.
    public let scoring: ScoringMethod
    /// Whether the vector cache is opened, and written when missing or stale.
    public let usesVectorCache: Bool
    /// Rows rescored in float32 after the int8 pass.
    public static let rescoreCandidates = Int8RescoredScorer.candidates

    /// How the vectors in use were loaded.
    public enum Loading: Equatable, Sendable {
        /// From a valid vector cache file.
        case cacheOpened
        /// The cache was missing, stale or damaged (the problem) and was written anew.
        case cacheWritten(after: VectorCacheProblem)
        /// Every vector from the database into memory; the reason the cache was not used
        /// (nil when the engine does not use one).
        case database(cacheNotUsed: String?)
        /// Nothing loaded: searches run in PostgreSQL through the model's HNSW index.
        case searchedInDatabase
    }

    /// The vectors in use when held in memory; nil until the first search or `refresh()`, and
    /// nil while the vector cache answers (`vectorCache`).
    public private(set) var vectors: VectorSet?
    /// The vector cache in use, if the vectors come from one.
    public private(set) var vectorCache: VectorCache?
    /// How the vectors in use were loaded; nil before the first load.
    public private(set) var loading: Loading?
    private var dates: [String]?
    private var facts: RowFacts?
    private var scorer: (any RowScorer)?
    private var scratch: [Float] = []

    /// An engine for `embedder`'s model. `processor` turns image terms into
    /// model input; without it image terms are an error. `vectorCache` false keeps every
    /// vector in memory, read from the database, as before the cache existed.
    public init(
        store: any PhotoIndex, embedder: any Embedder, processor: PhotoProcessor? = nil,
        templates: PromptTemplates = .standard, scoring: ScoringMethod = .int8Rescored,
        vectorCache: Bool = true
    ) {
        self.store = store
        self.fileIndex = store as? IndexStore
        self.database = store as? PostgresStore
        self.embedder = embedder
        self.processor = processor
        self.templates = templates
        self.scoring = scoring
        self.usesVectorCache = vectorCache
    }

    /// Number of vectors loaded (0 before the first load).
    public var count: Int { vectorCache?.count ?? inDatabase?.count ?? vectors?.count ?? 0 }

    private var loadedGeneration: Int64? {
        vectorCache?.generation ?? inDatabase?.generation ?? vectors?.generation
    }

    /// Loads the vectors if the index changed since they were read (one
    /// small query when it did not). Returns true when it reloaded.
    @discardableResult
    public func refresh() throws -> Bool {
        let generation = try store.generation()
        if let loadedGeneration, loadedGeneration == generation { return false }
        let identity = embedder.model
        guard let model = try store.model(named: identity.name) else {
            throw SearchError.noVectors(model: identity.name)
        }
        guard model.fingerprint == identity.fingerprint, model.dimension == identity.dimension
        else {
            throw SearchError.fingerprintMismatch(
                model: model.name, stored: model.fingerprint, loaded: identity.fingerprint)
        }
        vectors = nil
        vectorCache = nil
        inDatabase = nil
        dates = nil
        facts = nil
        scorer = nil
        if let database, try database.hasVectorIndex(model: model) {
            inDatabase = (model, generation, try database.vectorCount(model: model))
            loading = .searchedInDatabase
            return true
        }
        var reason: String?
        if usesVectorCache, let file = fileIndex, file.vectorCachePath(model: model) != nil {
            switch file.openVectorCache(model: model, quantise: Self.quantise) {
            case .success(let cache):
                use(cache, loading: .cacheOpened)
                return true
            case .failure(let problem):
                do {
                    let cache = try file.writeVectorCache(model: model, quantise: Self.quantise)
                    use(cache, loading: .cacheWritten(after: problem))
                    return true
                } catch {
                    reason = "\(problem); \(error)"
                }
            }
        }
        vectors = try store.loadVectors(model: model)
        loading = .database(cacheNotUsed: reason)
        return true
    }

    private func use(_ cache: VectorCache, loading: Loading) {
        vectorCache = cache
        self.loading = loading
        scratch = [Float](repeating: 0, count: cache.count)
    }

    /// The file index the vector cache in use belongs to.
    private func cacheIndex() throws -> IndexStore {
        guard let fileIndex else { throw SearchError.indexChanged }
        return fileIndex
    }

    /// The row quantiser of the vector cache: the one `Int8Matrix` uses.
    static let quantise: RowQuantiser = { row, count, out in
        Int8Matrix.quantise(row: row, dimension: count, into: out)
    }

    /// Runs a search and returns hits, best first.
    public func search(_ request: SearchRequest) throws -> [Hit] {
        try refresh()
        if let cache = vectorCache {
            do {
                return try search(request, in: cache)
            } catch SearchError.indexChanged {
                // Changed between the cache check and reading paths: reload once.
                try refresh()
                if let again = vectorCache { return try search(request, in: again) }
            }
        }
        if let database, let searched = inDatabase {
            let bounds = request.dates.flatMap { $0.isUnbounded ? nil : $0 }
            if bounds == nil {
                return try search(request, in: database, model: searched.model, dates: nil)
            } else if let bounds, let zone = try databaseTimeZone(database) {
                let range = PhotoDateRange(
                    since: bounds.since, above: bounds.until.map { $0 + "\u{7F}" },
                    timeZone: zone)
                return try search(request, in: database, model: searched.model, dates: range)
            } else if vectors?.generation != searched.generation {
                // The server reads modification times in another time zone than this
                // process: date-bounded searches score in memory.
                vectors = try store.loadVectors(model: searched.model)
                dates = nil
                scorer = nil
            }
        }
        guard let set = vectors else { return [] }
        let (query, exclude) = try queryVector(request) { id in
            guard let row = set.ids.firstIndex(of: id) else { return nil }
            let d = set.model.dimension
            return (Array(set.matrix[(row * d)..<((row + 1) * d)]), row)
        }
        return rank(query, in: set, request: request, exclude: exclude)
    }

    /// The query vector of `request`, and for a search by a stored photo the row to leave
    /// out; `stored` gives a photo id's vector and row, or nil when the photo has none.
    private func queryVector(
        _ request: SearchRequest, stored: (Int64) throws -> ([Float], Int)?
    ) throws -> (query: [Float], exclude: Int?) {
        switch request.query {
        case .text(let text):
            return (try vector(for: try QueryParser.parse(text), request: request), nil)
        case .terms(let terms):
            return (try vector(for: terms, request: request), nil)
        case .similarTo(let id):
            guard let (vector, row) = try stored(id) else { throw SearchError.unknownPhoto(id) }
            return (vector, row)
        }
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
        hits = cut(hits, request.cutoff)
        // Ranked best first already; by date, equal dates by score (every hit has a date).
        return request.order == .score ? hits : request.order.sorted(hits)
    }

    /// This process's time zone when PostgreSQL reads modification times in it as
    /// `DateBounds.localDate` does (checked once, on dates in several years and seasons), so
    /// date bounds can be applied in SQL; nil when it does not.
    private func databaseTimeZone(_ database: PostgresStore) throws -> String? {
        if let checked = checkedTimeZone { return checked }
        let zone = TimeZone.current.identifier
        let seconds: [Int64] = [
            0, 1_000_000_000, 1_200_000_000, 1_560_000_000, 1_704_067_200, 1_719_792_000,
        ]
        let mtimes = seconds.map { $0 * 1_000_000_000 + 999_999_999 }
        let server = try database.localDates(mtimes: mtimes, timeZone: zone)
        let agrees = server == mtimes.map { DateBounds.localDate(mtimeNs: $0) }
        checkedTimeZone = .some(agrees ? zone : nil)
        return agrees ? zone : nil
    }

    /// `search` in PostgreSQL: `rescoreCandidates` (or `top`, if more) neighbours from the
    /// HNSW index, under the folder and within the dates when asked for (both in SQL),
    /// re-ranked by exact distance; the photos of the hits read in one query.
    private func search(
        _ request: SearchRequest, in database: PostgresStore, model: ModelRecord,
        dates: PhotoDateRange?
    ) throws -> [Hit] {
        guard request.top > 0 else { return [] }
        var similarTo: Int64?
        let (query, _) = try queryVector(request) { id in
            similarTo = id
            return try database.vector(photoID: id, model: model).map { ($0, 0) }
        }
        let asked = request.top + (similarTo == nil ? 0 : 1)
        // pgvector's `hnsw.ef_search` stops at 1000: asked for more, the scan is exact.
        let candidates = asked > 1000 ? nil : max(asked, Self.rescoreCandidates)
        let nearest = try database.nearest(
            model: model, query: query, top: asked, candidates: candidates,
            folder: request.folder, dates: dates
        ).filter { $0.photoID != similarTo }.prefix(request.top)
        let photos = try database.photos(ids: nearest.map(\.photoID))
        var hits: [Hit] = nearest.compactMap { near in
            guard let photo = photos[near.photoID] else { return nil }
            let date = photo.takenAt ?? DateBounds.localDate(mtimeNs: photo.mtimeNs)
            return Hit(photoID: near.photoID, pathBytes: photo.path, score: near.score, date: date)
        }
        hits = cut(hits, request.cutoff)
        return request.order == .score ? hits : request.order.sorted(hits)
    }

    /// `search` over the vector cache.
    private func search(_ request: SearchRequest, in cache: VectorCache) throws -> [Hit] {
        let (query, exclude) = try queryVector(request) { id in
            guard let row = cache.row(of: id),
                let v = try cacheIndex().vectors(photoIDs: [id], model: cache.model)[id]
            else { return nil }
            return (v, row)
        }
        return try rank(query, in: cache, request: request, exclude: exclude)
    }

    /// `rank` over the vector cache: the int8 pass on the mapping, the candidates rescored
    /// with their float32 vectors from the database, paths and dates read for the hits.
    func rank(
        _ query: [Float], in cache: VectorCache, request: SearchRequest, exclude: Int?
    ) throws -> [Hit] {
        let n = cache.count
        let d = cache.dimension
        guard n > 0, request.top > 0 else { return [] }
        precondition(query.count == d, "query length does not match the rows")
        let datesNeeded = request.dates.map { !$0.isUnbounded } ?? false
        let rows = (request.folder != nil || datesNeeded) ? try rowFacts(cache) : nil
        let rowDates = datesNeeded ? rows.map(dateStrings) : nil
        let folder = request.folder
        let bounds = request.dates
        let filter: ((Int) -> Bool)?
        if rows == nil && exclude == nil {
            filter = nil
        } else {
            filter = { i in
                if i == exclude { return false }
                if let folder, let rows, !RawPath.isUnder(rows.paths[i], folder) { return false }
                if let rowDates, let bounds, !bounds.contains(rowDates[i]) { return false }
                return true
            }
        }
        if scratch.count != n { scratch = [Float](repeating: 0, count: n) }
        let candidates = query.withUnsafeBufferPointer { q in
            scratch.withUnsafeMutableBufferPointer { out -> [(index: Int, score: Float)] in
                guard let q = q.baseAddress, let o = out.baseAddress,
                    let values = cache.values.baseAddress, let scales = cache.scales.baseAddress
                else { return [] }
                return Int8Scan.candidates(
                    values: values, scales: scales, rows: n, dimension: d, query: q,
                    count: max(request.top, Self.rescoreCandidates), include: filter,
                    threads: Kernels.threads, scratch: o)
            }
        }
        let ids = candidates.map { cache.ids[$0.index] }
        let exact = try cacheIndex().vectors(photoIDs: ids, model: cache.model)
        let picked = query.withUnsafeBufferPointer { q -> [(index: Int, score: Float)] in
            guard let q = q.baseAddress else { return [] }
            return withExtendedLifetime(exact) {
                TopK.rescore(
                    candidates,
                    row: { row in
                        exact[cache.ids[row]]?.withUnsafeBufferPointer { $0.baseAddress }
                    }, dimension: d, query: q, k: request.top)
            }
        }
        let shown = try cacheIndex().photoFacts(ids: picked.map { cache.ids[$0.index] })
        var hits: [Hit] = picked.compactMap { pick in
            let id = cache.ids[pick.index]
            guard let photo = shown[id] else { return nil }
            let date =
                rowDates?[pick.index] ?? photo.takenAt
                ?? DateBounds.localDate(mtimeNs: photo.mtimeNs)
            return Hit(photoID: id, pathBytes: photo.path, score: pick.score, date: date)
        }
        hits = cut(hits, request.cutoff)
        return request.order == .score ? hits : request.order.sorted(hits)
    }

    /// Paths and dates of every row of `cache`, read once per generation.
    private func rowFacts(_ cache: VectorCache) throws -> RowFacts {
        if let facts, facts.generation == cache.generation, facts.ids.count == cache.count {
            return facts
        }
        let read = try cacheIndex().rowFacts(model: cache.model)
        guard read.generation == cache.generation, read.ids.elementsEqual(cache.ids) else {
            throw SearchError.indexChanged
        }
        facts = read
        dates = nil
        return read
    }

    private func dateStrings(_ rows: RowFacts) -> [String] {
        if let dates, dates.count == rows.ids.count { return dates }
        let made = (0..<rows.ids.count).map {
            rows.takenAt[$0] ?? DateBounds.localDate(mtimeNs: rows.mtimeNs[$0])
        }
        dates = made
        return made
    }

    /// `hits` without those far below the best one.
    private func cut(_ hits: [Hit], _ cutoff: ScoreCutoff?) -> [Hit] {
        guard let best = hits.first?.score, let cutoff else { return hits }
        let floor: Float
        switch cutoff {
        case .ratio(let r): floor = best > 0 ? best * r : best
        case .delta(let delta): floor = best - delta
        }
        return hits.filter { $0.score >= floor }
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

extension SearchEngine {
    /// Brings the vector cache of every model in `store` up to date (written where missing,
    /// stale or damaged), so the next search starts without reading the vectors out of the
    /// database; `picseek index` calls it after a run. Returns a note for each cache that
    /// could not be written (searches then read the vectors from the index), nothing else.
    /// Only an SQLite file index has such caches: for any other index it does nothing.
    public static func updateVectorCaches(store index: any PhotoIndex) throws -> [String] {
        guard let store = index as? IndexStore else { return [] }
        var notes: [String] = []
        for model in try store.models() where try store.vectorCount(model: model) > 0 {
            guard case .failure = store.openVectorCache(model: model, quantise: quantise)
            else { continue }
            do {
                _ = try store.writeVectorCache(model: model, quantise: quantise)
            } catch {
                notes.append("note: \(error); searches will read the vectors from the index")
            }
        }
        return notes
    }
}
