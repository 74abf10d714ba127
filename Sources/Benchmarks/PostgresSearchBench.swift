import Dispatch
import Foundation
import PicseekCore
import Store
import Tensor

/// `picseek bench search --db URL`: the PostgreSQL index's search, beside the in-memory
/// scoring the SQLite index uses (printed by `SearchBench` in the same run).
///
/// For each size and data set (`random`: unit vectors uniform on the sphere, queries too;
/// `clustered`: CLIP-like, see `SyntheticVectors`) it loads the vectors (binary `COPY`), builds
/// the HNSW index, then times the exact scan and HNSW with exact re-ranking at several
/// candidate counts, and reports recall@`top` against the exact answer twice: the share of the
/// exact top `top` found, and the share of results within 1 % of the exact `top`-th distance
/// (the "ε-recall" of ANN benchmarks, which does not count swaps between near-ties that no
/// approximate search can order). Then a search bounded by date (in SQL, about a tenth of the
/// photos), 4 searchers at once (latency per search and queries per second), and a
/// no-change rescan of `rescanFiles` files on SQLite and on PostgreSQL.
public struct PostgresSearchBench {
    /// The database to write the bench photos into (it must hold no other photos).
    public var url: String
    /// Vectors per data set, one measurement per entry.
    public var counts = [100_000]
    /// The data sets measured, in order.
    public var kinds: [SyntheticVectors.Kind] = [.clustered, .random]
    /// Vector dimension.
    public var dim = 512
    /// Results per query.
    public var top = 10
    /// Queries per measurement.
    public var queries = 50
    /// HNSW candidate counts (`hnsw.ef_search`) to measure.
    public var candidates = [40, 100, 200, 400]
    /// The HNSW graph built.
    public var parameters = HNSWParameters.standard
    /// Empty placeholder files for the no-change rescan, timed on SQLite and on PostgreSQL
    /// (0 skips it).
    public var rescanFiles = 100_000
    /// Where the report's lines go.
    public var output: (String) -> Void = { print($0) }

    /// A bench writing into the database at `url`.
    public init(url: String) { self.url = url }

    /// The folder every bench photo lives under.
    static let folder = "/picseek-bench"

    /// Runs the measurements.
    public func run() throws {
        let store = try PostgresStore.open(url: url)
        let foreign = try store.allPhotos().contains {
            !$0.path.starts(with: Array((Self.folder + "/").utf8))
        }
        if foreign {
            throw PostgresBenchError.notEmpty(store.path)
        }
        output(
            "postgres search: \(dim)-d vectors, top \(top), \(queries) queries, HNSW m "
                + "\(parameters.m) ef_construction \(parameters.efConstruction), "
                + TerminalSafe.escape(store.path))
        let photos = try store.syntheticPhotos(folder: Self.folder, count: counts.max() ?? 0)
        for count in counts {
            for kind in kinds {
                try measure(
                    store: store, data: SyntheticVectors(kind: kind, dimension: dim),
                    photoIDs: Array(photos.prefix(count)))
            }
        }
        if rescanFiles > 0 {
            var files = SearchBench()
            files.output = output
            try files.rescan(files: rescanFiles, label: "rescan, SQLite") { dir in
                try IndexStore.open(path: dir.appendingPathComponent("index.sqlite").path)
            }
            try files.rescan(
                files: rescanFiles, label: "rescan, PostgreSQL", open: { _ in store },
                forget: { index, root in _ = try index.forget(path: root) })
        }
    }

    private func measure(
        store: PostgresStore, data: SyntheticVectors, photoIDs: [Int64]
    ) throws {
        let count = photoIDs.count
        let name = "\(data.kind) \(count)"
        let model = try store.registerModel(
            name: "bench-\(data.kind)-\(dim)-\(count)"
                + (parameters == .standard
                    ? "" : "-m\(parameters.m)-efc\(parameters.efConstruction)"),
            family: "bench", dimension: dim,
            fingerprint: "\(data.kind) m\(parameters.m) efc\(parameters.efConstruction)")
        if try store.vectorCount(model: model) != count {
            if try store.vectorCount(model: model) > 0 {
                throw PostgresBenchError.partlyLoaded(model.name)
            }
            let wall = BenchClock.monotonicSeconds()
            let cpu = BenchClock.processCPUSeconds()
            try store.copyVectors(model: model, photoIDs: photoIDs) { position, out in
                data.vector(position, into: &out)
            }
            output(
                String(
                    format: "  %@: made and loaded %d vectors (binary COPY) in %.1f s "
                        + "(client CPU %.1f s)", name, count, BenchClock.monotonicSeconds() - wall,
                    BenchClock.processCPUSeconds() - cpu))
        }
        if try !store.hasVectorIndex(model: model) {
            let wall = BenchClock.monotonicSeconds()
            try store.buildVectorIndex(model: model, parameters: parameters)
            output(
                String(
                    format: "  %@: HNSW index built in %.1f s", name,
                    BenchClock.monotonicSeconds() - wall))
        }
        let queryVectors = (0..<queries).map { data.query($0) }
        var exact: [[NearestPhoto]] = []
        var ties: [Double] = []
        var times: [Double] = []
        for q in queryVectors {
            let start = BenchClock.monotonicSeconds()
            // 3 × top, to count the near-ties of the top-th.
            let wide = try store.nearest(model: model, query: q, top: 3 * top)
            times.append((BenchClock.monotonicSeconds() - start) * 1000)
            exact.append(Array(wide.prefix(top)))
            let limit = (1 - (exact.last?.last?.score ?? 0)) * 1.01 + 1e-6
            ties.append(Double(wide.filter { 1 - $0.score <= limit }.count))
        }
        output(
            String(
                format: "  %@: exact scan: median %.1f ms; vectors within 1%% of the %dth "
                    + "distance: median %.0f, max %.0f", name, Samples(times).median, top,
                Samples(ties).median, Samples(ties).max))
        for ef in candidates {
            var recall = Recall()
            times = []
            for (i, q) in queryVectors.enumerated() {
                let start = BenchClock.monotonicSeconds()
                let found = try store.nearest(model: model, query: q, top: top, candidates: ef)
                times.append((BenchClock.monotonicSeconds() - start) * 1000)
                recall.add(found: found, exact: exact[i])
            }
            output(
                String(
                    format: "  %@: HNSW %d candidates + exact re-rank: median %.2f ms, "
                        + "recall@%d %.3f, within 1%% of the %dth distance %.3f",
                    name, ef, Samples(times).median, top, recall.exact, top, top,
                    recall.epsilon))
        }
        let ef = candidates.contains(200) ? 200 : candidates[candidates.count / 2]
        try dated(
            store: store, model: model, queries: queryVectors, ef: ef, label: name, count: count)
        try concurrent(model: model, queries: queryVectors, ef: ef, label: name)
    }

    /// A search bounded by date, in SQL: the newest tenth of the photos (`syntheticPhotos`
    /// gives photo n the time 2015-01-01 + n × 5 min, UTC).
    private func dated(
        store: PostgresStore, model: ModelRecord, queries: [[Float]], ef: Int, label: String,
        count: Int
    ) throws {
        var seconds = time_t(1_420_070_400 + (count - count / 10) * 300)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let since = String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", Int(parts.tm_year) + 1900,
            Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
            Int(parts.tm_sec))
        let range = PhotoDateRange(since: since, above: nil, timeZone: "UTC")
        var exactTimes: [Double] = []
        var times: [Double] = []
        var recall = Recall()
        var short = 0
        for q in queries {
            var start = BenchClock.monotonicSeconds()
            let exact = try store.nearest(model: model, query: q, top: top, dates: range)
            exactTimes.append((BenchClock.monotonicSeconds() - start) * 1000)
            start = BenchClock.monotonicSeconds()
            let found = try store.nearest(
                model: model, query: q, top: top, candidates: ef, dates: range)
            times.append((BenchClock.monotonicSeconds() - start) * 1000)
            if found.count < top { short += 1 }
            recall.add(found: found, exact: exact)
        }
        output(
            String(
                format:
                    "  %@: newest tenth by date (in SQL): exact median %.1f ms; HNSW %d candidates, "
                    + "iterative scan: median %.2f ms, recall@%d %.3f, %d of %d short of %d",
                label, Samples(exactTimes).median, ef, Samples(times).median, top,
                recall.exact, short, queries.count, top))
    }

    /// Latency per search and queries per second of 4 searchers, each on its own connection.
    private func concurrent(
        model: ModelRecord, queries: [[Float]], ef: Int, label: String
    ) throws {
        let stores = try (0..<4).map { _ in try PostgresStore.open(url: url, purpose: .read) }
        let failures = Failures()
        let latencies = Failures()
        let start = BenchClock.monotonicSeconds()
        DispatchQueue.concurrentPerform(iterations: stores.count) { worker in
            var mine: [Double] = []
            for q in queries {
                let begin = BenchClock.monotonicSeconds()
                do {
                    _ = try stores[worker].nearest(model: model, query: q, top: top, candidates: ef)
                } catch {
                    failures.add("\(error)")
                }
                mine.append((BenchClock.monotonicSeconds() - begin) * 1000)
            }
            latencies.add(times: mine)
        }
        let elapsed = BenchClock.monotonicSeconds() - start
        if let first = failures.first { throw PostgresBenchError.searcherFailed(first) }
        output(
            String(
                format: "  %@: 4 searchers at once (HNSW %d candidates): median %.1f ms per "
                    + "search, %.0f searches/s", label, ef, Samples(latencies.times).median,
                Double(4 * queries.count) / elapsed))
    }
}

/// Recall of approximate answers against exact ones, summed over queries.
private struct Recall {
    private var found = 0.0
    private var close = 0.0
    private var queries = 0

    /// Adds one query's approximate (`found`) and exact answers.
    mutating func add(found approximate: [NearestPhoto], exact: [NearestPhoto]) {
        queries += 1
        guard let last = exact.last else { return }
        let truth = Set(exact.map(\.photoID))
        found +=
            Double(approximate.filter { truth.contains($0.photoID) }.count)
            / Double(exact.count)
        // Cosine distance within 1 % of the exact k-th (the scores are exact: re-ranked).
        let limit = (1 - last.score) * 1.01 + 1e-6
        close += Double(approximate.filter { 1 - $0.score <= limit }.count) / Double(exact.count)
    }

    /// Mean share of the exact answer found.
    var exact: Double { queries == 0 ? 0 : found / Double(queries) }
    /// Mean share of results within 1 % of the exact k-th distance.
    var epsilon: Double { queries == 0 ? 0 : close / Double(queries) }
}

/// Errors and latencies gathered from the concurrent searchers.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    private var samples: [Double] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    func add(times: [Double]) { lock.withLock { samples += times } }
    var first: String? { lock.withLock { messages.first } }
    var times: [Double] { lock.withLock { samples } }
}

/// Why the PostgreSQL search bench stopped.
public enum PostgresBenchError: Error, CustomStringConvertible, Equatable {
    /// The database holds photos other than the bench's own.
    case notEmpty(String)
    /// One of the concurrent searchers failed.
    case searcherFailed(String)
    /// A bench model holds some but not all of its vectors (an interrupted load).
    case partlyLoaded(String)

    public var description: String {
        switch self {
        case .notEmpty(let location):
            "\(TerminalSafe.escape(location)) holds photos that are not the bench's: give the "
                + "bench an empty database"
        case .searcherFailed(let message): "a concurrent searcher failed: \(message)"
        case .partlyLoaded(let model):
            "bench model \(TerminalSafe.escape(model)) holds part of its vectors: give the "
                + "bench an empty database"
        }
    }
}
