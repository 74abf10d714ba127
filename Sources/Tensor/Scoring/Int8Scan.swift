import Dispatch

/// The int8 first pass of search over rows held anywhere (an `Int8Matrix` in memory, or a
/// memory-mapped vector cache): every row scored against the query and the best candidates
/// kept, split over threads. On CPUs with AVX-512 VNNI the query is quantised to int8 as the
/// rows are and each row's dot product summed exactly in int32 (`VectorKernels.scoresInt8Dot`);
/// elsewhere the rows are widened to float against the float32 query
/// (`VectorKernels.scoresInt8`). Either way the candidates are only a first pass: the engine
/// rescores them in float32.
///
/// Rows are cut into contiguous parts whose boundaries are multiples of 64 rows, so each row
/// is scored by the same kernel code path whatever the number of threads (the kernel groups
/// rows by four) and the result does not depend on `threads`.
public enum Int8Scan {
    /// Fewest rows a part gets before the scan is split over threads.
    public static let rowsPerPartMinimum = 16384

    /// The `count` best rows among those that pass `include` (all when nil), best first by
    /// their int8 score `scales[i] * dot(values row i, query)`, ties broken by lower index.
    ///
    /// `scratch` must hold `rows` floats. `include` is called from several threads at once
    /// when `threads` > 1, so it must only read shared state.
    public static func candidates(
        values: UnsafePointer<Int8>, scales: UnsafePointer<Float>, rows: Int, dimension: Int,
        query: UnsafePointer<Float>, count: Int, include: ((Int) -> Bool)?, threads: Int,
        scratch: UnsafeMutablePointer<Float>
    ) -> [(index: Int, score: Float)] {
        guard rows > 0, count > 0 else { return [] }
        let parts = max(1, min(threads, rows / rowsPerPartMinimum))
        let chunk = (rows / parts + 63) / 64 * 64
        let work = ScanWork(values: values, scales: scales, scratch: scratch)
        let results = PartResults(parts: parts)
        // With VNNI the query is quantised too and rows are scored in exact int32 sums: a
        // fifth of the instructions of widening every value to float.
        let (query8, queryScale) = useInt8Dot ? quantised(query, dimension) : ([], 0)
        let run = { (part: Int) in
            let begin = min(rows, part * chunk)
            let end = part == parts - 1 ? rows : min(rows, begin + chunk)
            guard begin < end else { return }
            query8.withUnsafeBufferPointer { q8 in
                if useInt8Dot, let q8 = q8.baseAddress {
                    VectorKernels.scoresInt8Dot(
                        values: work.values + begin * dimension, scales: work.scales + begin,
                        rows: end - begin, dimension: dimension, query: q8,
                        queryScale: queryScale, out: work.scratch + begin)
                } else {
                    VectorKernels.scoresInt8(
                        values: work.values + begin * dimension, scales: work.scales + begin,
                        rows: end - begin, dimension: dimension, query: query,
                        out: work.scratch + begin)
                }
            }
            let shifted: ((Int) -> Bool)? = include.map { test in { test($0 + begin) } }
            let picked = TopK.select(
                UnsafeBufferPointer(start: work.scratch + begin, count: end - begin), k: count,
                include: shifted)
            results.store(picked.map { (index: $0.index + begin, score: $0.score) }, part: part)
        }
        if parts == 1 {
            run(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: parts, execute: run)
        }
        return TopK.merge(results.all(), k: count)
    }

    /// `query` quantised as the rows are, and its scale.
    static func quantised(_ query: UnsafePointer<Float>, _ dimension: Int) -> ([Int8], Float) {
        var query8 = [Int8](repeating: 0, count: dimension)
        let scale = query8.withUnsafeMutableBufferPointer { q8 -> Float in
            guard let q8 = q8.baseAddress else { return 0 }
            return Int8Matrix.quantise(row: query, dimension: dimension, into: q8)
        }
        return (query8, scale)
    }

    /// Whether the scan quantises the query and sums in int32 (`VectorKernels.hasInt8Dot`);
    /// otherwise it widens the rows to float against the float32 query.
    public static var useInt8Dot: Bool { VectorKernels.hasInt8Dot }

    /// The naive twin of `candidates`: one scalar dot product per row on one thread (in int32
    /// against the quantised query when `useInt8Dot`), then a full sort.
    public static func candidatesNaive(
        values: UnsafePointer<Int8>, scales: UnsafePointer<Float>, rows: Int, dimension: Int,
        query: UnsafePointer<Float>, count: Int, include: ((Int) -> Bool)?
    ) -> [(index: Int, score: Float)] {
        var scores = [Float](repeating: 0, count: rows)
        let (query8, queryScale) = quantised(query, dimension)
        for r in 0..<rows {
            if useInt8Dot {
                var s: Int32 = 0
                for j in 0..<dimension { s += Int32(values[r * dimension + j]) * Int32(query8[j]) }
                scores[r] = scales[r] * (queryScale * Float(s))
            } else {
                var s: Float = 0
                for j in 0..<dimension { s += Float(values[r * dimension + j]) * query[j] }
                scores[r] = scales[r] * s
            }
        }
        return TopK.selectNaive(scores, k: count, include: include)
    }
}

/// The pointers the scan's threads share; each part writes only its own rows of `scratch`.
private struct ScanWork: @unchecked Sendable {
    let values: UnsafePointer<Int8>
    let scales: UnsafePointer<Float>
    let scratch: UnsafeMutablePointer<Float>
}

/// Each part's picks, stored by the thread that made them.
private final class PartResults: @unchecked Sendable {
    private var lists: [[(index: Int, score: Float)]]
    private let lock = PartLock()

    init(parts: Int) { lists = Array(repeating: [], count: parts) }

    func store(_ list: [(index: Int, score: Float)], part: Int) {
        lock.locked { lists[part] = list }
    }

    func all() -> [(index: Int, score: Float)] {
        lock.locked { lists.flatMap { $0 } }
    }
}

/// A mutex made of a Dispatch semaphore.
private final class PartLock: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 1)

    func locked<T>(_ body: () -> T) -> T {
        semaphore.wait()
        defer { semaphore.signal() }
        return body()
    }
}
