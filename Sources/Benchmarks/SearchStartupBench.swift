import Dispatch
import Foundation
import Library
import PicseekCore
import Store
import Tensor

/// `picseek bench search`'s start-up measurements: a synthetic index of `rows` photos on disk
/// (`IndexStore.addSyntheticPhotos`), opened the way `picseek search` opens it, with the time
/// to the first top-k hits (paths and dates read) from opening the database: with every
/// vector loaded from the database (the engine without its cache), cold (the vector cache
/// missing, so written first) and warm (the cache there); then the latency of a search with
/// the cache in use on 1 and 2 threads (`Kernels.threads`).
///
/// The query vector is random: loading a model and embedding the query are not part of
/// these figures (`picseek bench engine` measures them).
struct SearchStartupBench {
    /// Photos in the synthetic index.
    var rows: Int
    /// Vector dimension.
    var dim: Int
    /// Results per query.
    var top: Int
    /// Timed searches for the latency lines (the median is reported).
    var repeats: Int
    /// Warm starts timed (the median is reported).
    var starts = 5
    /// Where the synthetic indexes are kept and reused; nil makes them in a temporary folder
    /// removed afterwards.
    var folder: String?
    /// Where the report's lines go.
    var output: (String) -> Void

    /// The model every synthetic index is made for.
    var identity: EmbedderIdentity {
        EmbedderIdentity(
            name: "bench-synthetic", family: "bench", dimension: dim,
            fingerprint: "synthetic-\(dim)")
    }

    func run() throws {
        let keep = folder != nil
        let dir =
            folder
            ?? (FileManager.default.temporaryDirectory.path + "/picseek-bench-start-\(getpid())")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: dir) } }
        let path = dir + "/synthetic-\(rows)x\(dim).sqlite"
        let made = try ensureIndex(at: path)
        let embedder = RandomQueryEmbedder(identity: identity)
        let size = fileSize(path)

        let saved = Kernels.threads
        defer { Kernels.threads = saved }
        Kernels.threads = 2
        let (database, _) = try start(path: path, embedder: embedder, cache: false)
        let model = try IndexStore.open(path: path, mode: .readOnly).model(named: identity.name)
        if let model, let store = try? IndexStore.open(path: path) {
            store.removeVectorCache(model: model)
        }
        let (cold, coldLoading) = try start(path: path, embedder: embedder, cache: true)
        var warm: [Double] = []
        var warmLoading: SearchEngine.Loading?
        for _ in 0..<starts {
            let (ms, loading) = try start(path: path, embedder: embedder, cache: true)
            warm.append(ms)
            warmLoading = loading
        }
        guard case .cacheWritten = coldLoading, warmLoading == .cacheOpened else {
            throw BenchError.unexpectedSearch(
                "the vector cache was not used as expected: cold "
                    + "\(String(describing: coldLoading)), warm \(String(describing: warmLoading))")
        }
        let cacheSize =
            model.flatMap { m in
                (try? IndexStore.open(path: path, mode: .readOnly))?.vectorCachePath(model: m)
            }.map(fileSize) ?? 0
        let w = Samples(warm)
        output(
            String(
                format: "start-up, %ld photos (%@; index %.0f MB, vector cache %.0f MB), first "
                    + "top-%ld hits with 2 threads: database only %.0f ms, cold (cache written) "
                    + "%.0f ms, warm (cache opened) median %.0f ms (min %.0f, max %.0f, "
                    + "%ld starts)",
                rows, made as NSString, Double(size) / 1e6, Double(cacheSize) / 1e6, top, database,
                cold, w.median, w.min, w.max, starts))

        let store = try IndexStore.open(path: path, mode: .readOnly)
        let engine = SearchEngine(store: store, embedder: embedder, templates: .none)
        try engine.refresh()
        var parts: [String] = []
        for threads in [1, 2] {
            Kernels.threads = threads
            var times: [Double] = []
            var cpu: [Double] = []
            for q in 0..<(repeats + 1) {
                var request = SearchRequest(query: .text("query \(q)"))
                request.top = top
                let cpuStart = BenchClock.processCPUSeconds()
                let start = DispatchTime.now().uptimeNanoseconds
                let hits = try engine.search(request)
                let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                let cpuMs = (BenchClock.processCPUSeconds() - cpuStart) * 1000
                guard hits.count == min(top, rows) else {
                    throw BenchError.unexpectedSearch("a search found \(hits.count) hits")
                }
                if q > 0 {
                    times.append(ms)
                    cpu.append(cpuMs)
                }
            }
            let s = Samples(times)
            parts.append(
                String(
                    format: "%ld thread%@ median %.2f ms (cpu %.2f ms; min %.2f, max %.2f)",
                    threads, (threads == 1 ? "" : "s") as NSString, s.median, Samples(cpu).median,
                    s.min, s.max))
        }
        output(
            "  search through the cache, \(rows) photos, top-\(top) with paths: "
                + parts.joined(separator: "; "))
    }

    /// Makes the synthetic index at `path` unless one of the right size is there; says which.
    private func ensureIndex(at path: String) throws -> String {
        if FileManager.default.fileExists(atPath: path),
            let store = try? IndexStore.open(path: path, mode: .readOnly),
            let model = try? store.model(named: identity.name),
            (try? store.vectorCount(model: model)) == rows
        {
            return "reused"
        }
        try? FileManager.default.removeItem(atPath: path)
        let start = DispatchTime.now().uptimeNanoseconds
        let store = try IndexStore.open(path: path)
        let model = try store.registerModel(
            name: identity.name, family: identity.family, dimension: dim,
            fingerprint: identity.fingerprint)
        try store.addSyntheticPhotos(count: rows, model: model, seed: UInt64(rows))
        try store.checkpoint()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return String(format: "made in %.1f s", seconds)
    }

    /// Opens the index as `picseek search` does and times it to the first hits.
    private func start(
        path: String, embedder: RandomQueryEmbedder, cache: Bool
    ) throws -> (Double, SearchEngine.Loading?) {
        let start = DispatchTime.now().uptimeNanoseconds
        let store = try IndexStore.openForReading(path: path)
        let engine = SearchEngine(
            store: store, embedder: embedder, templates: .none, vectorCache: cache)
        var request = SearchRequest(query: .text("first"))
        request.top = top
        let hits = try engine.search(request)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        guard hits.count == min(top, rows), hits.allSatisfy({ !$0.pathBytes.isEmpty }) else {
            throw BenchError.unexpectedSearch("the first search found \(hits.count) hits")
        }
        return (ms, engine.loading)
    }

    private func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?
            .int64Value ?? 0
    }
}

/// A stand-in model for the start-up bench: every text becomes a random unit vector.
private final class RandomQueryEmbedder: Embedder, @unchecked Sendable {
    let model: EmbedderIdentity
    let preprocess = PreprocessSpec(
        size: 1, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
    private var state: UInt64 = 0x5EED

    init(identity: EmbedderIdentity) { model = identity }

    func embedImages(_ batch: [[Float]]) throws -> [[Float]] {
        throw BenchError.embedderCalled
    }

    func embedText(_ text: String) throws -> [Float] {
        var v = [Float](repeating: 0, count: model.dimension)
        for j in 0..<v.count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            v[j] = Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
        }
        return v
    }
}
