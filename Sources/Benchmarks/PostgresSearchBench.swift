import Dispatch
import Foundation
import PicseekCore
import Store
import Tensor

/// `picseek bench search --db URL`: the PostgreSQL index's search, beside the in-memory
/// scoring the SQLite index uses: loading `count` vectors of `dim` floats (random, and
/// clustered around 100 centres), building the HNSW index, then top-`top` latency of the exact
/// scan and of HNSW with exact re-ranking at several candidate counts, their recall@`top`
/// against the exact answer, and queries per second of 4 searchers at once.
public struct PostgresSearchBench {
    /// The database to write the bench photos into (it must hold no other photos).
    public var url: String
    /// Vectors per data set.
    public var count = 100_000
    /// Vector dimension.
    public var dim = 512
    /// Results per query.
    public var top = 10
    /// Queries per measurement.
    public var queries = 50
    /// HNSW candidate counts (`hnsw.ef_search`) to measure.
    public var candidates = [40, 100, 200]
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
            "postgres search: \(count) vectors of \(dim) floats, top \(top), \(queries) queries, "
                + TerminalSafe.escape(store.path))
        for clustered in [false, true] {
            try measure(store: store, clustered: clustered)
        }
    }

    private func measure(store: PostgresStore, clustered: Bool) throws {
        let name = clustered ? "clustered" : "random"
        var rng = Lcg(seed: clustered ? 7 : 3)
        let vectors = makeVectors(clustered: clustered, rng: &rng, n: count)
        let model = try store.registerModel(
            name: "bench-\(name)-\(dim)", family: "bench", dimension: dim, fingerprint: name)
        let loaded = try store.vectorCount(model: model)
        if loaded < count {
            let start = DispatchTime.now().uptimeNanoseconds
            var batch: [PhotoChange] = []
            for i in loaded..<count {
                let path = Array(String(format: "\(Self.folder)/%07d.jpg", i).utf8)
                batch.append(
                    .embedded(
                        FileStamp(path: path, size: 1, mtimeNs: 1), hash: SHA256.hash(path),
                        metadata: PhotoMetadata(width: 1, height: 1),
                        vector: Array(vectors[(i * dim)..<((i + 1) * dim)])))
                if batch.count == 1000 || i == count - 1 {
                    _ = try store.apply(batch, model: model)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            output(
                String(
                    format: "  %@: loaded %d vectors in %.1f s", name, count - loaded,
                    seconds(since: start)))
        }
        if try !store.hasVectorIndex(model: model) {
            let start = DispatchTime.now().uptimeNanoseconds
            try store.buildVectorIndex(model: model)
            output(
                String(
                    format: "  %@: HNSW index (m 16, ef_construction 64) built in %.1f s", name,
                    seconds(since: start)))
        }
        // Queries: stored vectors with noise, as a photo's near duplicates would be.
        var queryRNG = Lcg(seed: 99)
        let queryVectors = (0..<queries).map { _ -> [Float] in
            // nextFloat is in [-1, 1].
            let row = min(Int((queryRNG.nextFloat() + 1) * 0.5 * Float(count)), count - 1)
            var q = (0..<dim).map { vectors[row * dim + $0] + 0.05 * queryRNG.nextFloat() }
            let norm = q.reduce(0) { $0 + $1 * $1 }.squareRoot()
            q = q.map { $0 / norm }
            return q
        }
        var exact: [[Int64]] = []
        var times: [Double] = []
        for q in queryVectors {
            let start = DispatchTime.now().uptimeNanoseconds
            exact.append(try store.nearest(model: model, query: q, top: top).map(\.photoID))
            times.append(seconds(since: start) * 1000)
        }
        output(String(format: "  %@: exact scan: median %.1f ms", name, Samples(times).median))
        for ef in candidates {
            var recall = 0.0
            times = []
            for (i, q) in queryVectors.enumerated() {
                let start = DispatchTime.now().uptimeNanoseconds
                let found = try store.nearest(model: model, query: q, top: top, candidates: ef)
                times.append(seconds(since: start) * 1000)
                recall +=
                    Double(Set(found.map(\.photoID)).intersection(exact[i]).count)
                    / Double(max(exact[i].count, 1))
            }
            output(
                String(
                    format:
                        "  %@: HNSW ef_search %d + exact re-rank: median %.2f ms, recall@%d %.3f",
                    name, ef, Samples(times).median, top, recall / Double(queries)))
        }
        try concurrent(model: model, queries: queryVectors, label: name)
    }

    /// Queries per second of 4 searchers, each on its own connection, at the middle
    /// candidate count.
    private func concurrent(model: ModelRecord, queries: [[Float]], label: String) throws {
        let ef = candidates[candidates.count / 2]
        let stores = try (0..<4).map { _ in try PostgresStore.open(url: url, purpose: .read) }
        let failures = Failures()
        let start = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: stores.count) { worker in
            for q in queries {
                do {
                    _ = try stores[worker].nearest(model: model, query: q, top: top, candidates: ef)
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        let elapsed = seconds(since: start)
        if let first = failures.first { throw PostgresBenchError.searcherFailed(first) }
        output(
            String(
                format: "  %@: 4 searchers at once (ef_search %d): %.0f queries/s",
                label, ef, Double(4 * queries.count) / elapsed))
    }

    private func makeVectors(clustered: Bool, rng: inout Lcg, n: Int) -> [Float] {
        let centres = clustered ? (0..<(100 * dim)).map { _ in rng.nextFloat() - 0.5 } : []
        var out = [Float]()
        out.reserveCapacity(n * dim)
        for i in 0..<n {
            var v = (0..<dim).map { _ in rng.nextFloat() - 0.5 }
            if clustered {
                let c = (i * 7919) % 100
                for d in 0..<dim { v[d] = centres[c * dim + d] + 0.25 * v[d] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            out.append(contentsOf: v.map { $0 / norm })
        }
        return out
    }

    private func seconds(since start: UInt64) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// Errors seen by the concurrent searchers.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var first: String? { lock.withLock { messages.first } }
}

/// Why the PostgreSQL search bench stopped.
public enum PostgresBenchError: Error, CustomStringConvertible, Equatable {
    /// The database holds photos other than the bench's own.
    case notEmpty(String)
    /// One of the concurrent searchers failed.
    case searcherFailed(String)

    public var description: String {
        switch self {
        case .notEmpty(let location):
            "\(TerminalSafe.escape(location)) holds photos that are not the bench's: give the "
                + "bench an empty database"
        case .searcherFailed(let message): "a concurrent searcher failed: \(message)"
        }
    }
}
