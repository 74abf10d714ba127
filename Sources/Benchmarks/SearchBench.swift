import Dispatch
import Foundation
import Imaging
import Library
import PicseekCore
import Store
import Tensor

/// `picseek bench search`: brute-force top-k speed of every scoring method, start-up time of
/// a synthetic index on disk with and without its vector cache (`SearchStartupBench`), plus
/// a no-change rescan and the index file size per vector byte.
///
/// Measures the two ways of scoring that ship (`ScoringMethod`, through `RowScorer`) next to
/// the ones kept here only for comparison (`ScoreKernel.Method`: OpenBLAS sgemv, the Swift loop,
/// bfloat16 passes in Swift and in C).
public struct SearchBench {
    /// Numbers of vectors to search.
    public var sizes = [100_000, 1_000_000]
    /// Vector dimension.
    public var dim = 512
    /// Results per query.
    public var top = 10
    /// Timed queries per size and method (the median is reported).
    public var repeats = 15
    /// Empty placeholder files for the no-change rescan (0 skips it).
    public var rescanFiles = 20000
    /// Vectors written for the index size measurement (0 skips it).
    public var dbRows = 20000
    /// Vectors compared pairwise by the duplicate finder, with 2 threads (0 skips it).
    public var duplicateRows = 20000
    /// Photos in the synthetic indexes whose start-up is timed (none skips it).
    public var startupSizes = [100_000, 1_000_000]
    /// Warm starts timed per size (the median is reported).
    public var startupRuns = 5
    /// Where the synthetic indexes of the start-up measurements are kept, and reused when
    /// there; nil makes them in a temporary folder removed afterwards.
    public var indexFolder: String?
    /// Where the report's lines go, one call per line.
    public var output: (String) -> Void = { print($0) }

    /// A benchmark with the default settings.
    public init() {}

    /// The numbers of vectors in `text`, comma-separated positive counts (`--sizes`).
    public static func sizes(parsing text: String) throws(SearchBenchError) -> [Int] {
        var counts: [Int] = []
        for part in text.split(separator: ",") {
            guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n > 0 else {
                throw SearchBenchError.notACount(String(part))
            }
            counts.append(n)
        }
        return counts
    }

    /// Runs the measurements and prints their lines through `output`.
    public func run() throws {
        printSettings()
        try measure()
    }

    /// Prints the settings line, then takes the sizes from `sizesText` (`--sizes`, checked
    /// only after that line, as the command always has) and runs the measurements.
    public mutating func run(sizes sizesText: String) throws {
        printSettings()
        sizes = try Self.sizes(parsing: sizesText)
        try measure()
    }

    /// Makes OpenBLAS single-threaded and prints the first line of the report: the settings,
    /// OpenBLAS and the C kernels in use.
    public func printSettings() {
        BLAS.threads = 1
        output(
            "search: top-\(top), \(dim)-d float32, 1 thread, median of \(repeats) queries "
                + "(\(BLAS.configuration); C kernels: \(VectorKernels.best))")
    }

    /// Runs the measurements and prints their lines (all but the settings line).
    public func measure() throws {
        BLAS.threads = 1
        for n in sizes { benchSearch(rows: n) }
        for n in startupSizes {
            try SearchStartupBench(
                rows: n, dim: dim, top: top, repeats: repeats, starts: startupRuns,
                folder: indexFolder, output: output
            ).run()
        }
        if rescanFiles > 0 { try benchRescan(files: rescanFiles) }
        if dbRows > 0 { try benchDatabaseSize(rows: dbRows) }
        if duplicateRows > 0 { benchDuplicates(rows: duplicateRows) }
    }

    // MARK: duplicates

    /// Time of one `DuplicateFinder.groups` pass over random unit vectors.
    private func benchDuplicates(rows n: Int) {
        var rng = Lcg(seed: 7)
        var matrix = [Float](repeating: 0, count: n * dim)
        for r in 0..<n {
            let row = (0..<dim).map { _ in rng.nextFloat() }
            let inv = 1 / row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for j in 0..<dim { matrix[r * dim + j] = row[j] * inv }
        }
        let set = VectorSet(
            model: ModelRecord(
                id: 1, name: "bench", family: "bench", dimension: dim, fingerprint: ""),
            ids: (0..<n).map(Int64.init), paths: Array(repeating: [], count: n),
            takenAt: Array(repeating: nil, count: n), mtimeNs: Array(repeating: 0, count: n),
            matrix: matrix, generation: 0)
        BLAS.threads = 2
        defer { BLAS.threads = 1 }
        let start = DispatchTime.now().uptimeNanoseconds
        let groups = DuplicateFinder.groups(in: set, threshold: 0.95)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        output(
            String(
                format: "duplicates: %ld vectors, all %ld pairs, 2 threads: %.2f s (%ld groups)",
                n, n * (n - 1) / 2, seconds, groups.count))
    }

    // MARK: search

    private func benchSearch(rows n: Int) {
        var rng = Lcg(seed: UInt64(n))
        var matrix = [Float](repeating: 0, count: n * dim)
        for r in 0..<n {
            var norm: Float = 0
            for j in 0..<dim {
                let v = rng.nextFloat()
                matrix[r * dim + j] = v
                norm += v * v
            }
            let inv = 1 / norm.squareRoot()
            for j in 0..<dim { matrix[r * dim + j] *= inv }
        }
        var scores = [Float](repeating: 0, count: n)
        let half = BF16Matrix(matrix, rows: n, dimension: dim)
        let quarter = ScoringMethod.int8Rescored.scorer(matrix: matrix, rows: n, dimension: dim)
        for method in ScoreKernel.Method.allCases {
            var times: [Double] = []
            var topTimes: [Double] = []
            var cpuTimes: [Double] = []
            var checksum = 0
            for q in 0..<(repeats + 1) {
                let query = (0..<dim).map { _ in rng.nextFloat() }
                let cpuStart = BenchClock.threadCPUMilliseconds()
                let start = DispatchTime.now().uptimeNanoseconds
                let best: [(index: Int, score: Float)]
                var mid = start
                if method.usesBF16 {
                    // Scan + candidate selection + float32 rescoring, as the int8 scorer does.
                    best = half.topK(
                        query: query, exact: matrix, k: top,
                        candidates: Int8RescoredScorer.candidates, include: nil,
                        scratch: &scores, simd: method == .bf16simd)
                    mid = DispatchTime.now().uptimeNanoseconds
                } else if method == .int8simd {
                    // What SearchEngine runs.
                    best = quarter.top(top, query: query, include: nil)
                    mid = DispatchTime.now().uptimeNanoseconds
                } else {
                    ScoreKernel.scores(
                        method, matrix: matrix, rows: n, dimension: dim, query: query, out: &scores)
                    mid = DispatchTime.now().uptimeNanoseconds
                    best = scores.withUnsafeBufferPointer { TopK.select($0, k: top) }
                }
                let end = DispatchTime.now().uptimeNanoseconds
                let cpu = BenchClock.threadCPUMilliseconds() - cpuStart
                checksum &+= best.first?.index ?? 0
                if q == 0 { continue } // warm-up
                times.append(Double(end - start) / 1e6)
                topTimes.append(Double(end - mid) / 1e6)
                cpuTimes.append(cpu)
            }
            let wall = Samples(times)
            output(
                String(
                    format: "  %8d vectors  %-8@  median %7.2f ms  (cpu %7.2f ms, top-k %5.2f ms, "
                        + "min %.2f, max %.2f)  [%d]",
                    n, method.rawValue as NSString, wall.median, Samples(cpuTimes).median,
                    Samples(topTimes).median, wall.min, wall.max, checksum % 10))
        }
        // What SearchEngine runs, its int8 pass split over 2 threads (`Kernels.threads`).
        let saved = Kernels.threads
        Kernels.threads = 2
        defer { Kernels.threads = saved }
        var times: [Double] = []
        for q in 0..<(repeats + 1) {
            let query = (0..<dim).map { _ in rng.nextFloat() }
            let start = DispatchTime.now().uptimeNanoseconds
            _ = quarter.top(top, query: query, include: nil)
            if q > 0 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
        }
        let two = Samples(times)
        output(
            String(
                format: "  %8d vectors  int8simd, 2 threads  median %7.2f ms  (min %.2f, max %.2f)",
                n, two.median, two.min, two.max))
    }

    // MARK: rescan

    /// A model that must never run: the placeholder files all fail to decode.
    private final class NullEmbedder: Embedder, @unchecked Sendable {
        let model = EmbedderIdentity(
            name: "bench-null", family: "bench", dimension: 4, fingerprint: "none")
        let preprocess = PreprocessSpec(
            size: 1, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
        func embedImages(_ batch: [[Float]]) throws -> [[Float]] {
            throw BenchError.embedderCalled
        }
        func embedText(_ text: String) throws -> [Float] {
            throw BenchError.embedderCalled
        }
    }

    private struct Placeholder: Error, CustomStringConvertible {
        var description: String { "placeholder file, not a photo" }
    }

    private func benchRescan(files: Int) throws {
        try rescan(files: files, label: "rescan") { dir in
            try IndexStore.open(path: dir.appendingPathComponent("index.sqlite").path)
        }
    }

    /// Times a no-change rescan of `files` empty placeholder files (made in a temporary
    /// folder) in the index `open` gives for that folder; `forget` runs afterwards, to
    /// take the placeholders out of an index that outlives the folder.
    func rescan(
        files: Int, label: String, open: (URL) throws -> any PhotoIndex,
        forget: (any PhotoIndex, [UInt8]) throws -> Void = { _, _ in }
    ) throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("picseek-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let photos = dir.appendingPathComponent("photos")
        for i in 0..<files {
            let folder = photos.appendingPathComponent(String(format: "d%04d", i / 1000))
            if i % 1000 == 0 {
                try FileManager.default.createDirectory(
                    at: folder, withIntermediateDirectories: true)
            }
            _ = FileManager.default.createFile(
                atPath: folder.appendingPathComponent(String(format: "p%06d.jpg", i)).path,
                contents: nil)
        }
        let store = try open(dir)
        let indexer = Indexer(
            store: store, embedder: NullEmbedder(), processor: { _, _ in throw Placeholder() },
            encodeThumbnail: JPEG.thumbnailEncoder)
        let root = RawPath.bytes(photos.path)
        defer { try? forget(store, root) }
        let first = try indexer.run(roots: [root])
        guard first.failed == files else {
            throw BenchError.unexpectedRescan(
                "expected \(files) placeholder failures, got \(first.failed)")
        }
        var times: [Double] = []
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            let report = try indexer.run(roots: [root])
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            guard report.unchanged == files else {
                throw BenchError.unexpectedRescan(
                    "rescan found changes (\(report.unchanged) unchanged)")
            }
        }
        let median = Samples(times).median
        output(
            String(
                format:
                    "%@: %d unchanged files, median %.0f ms (%.1f µs/file); first run %.1f s",
                label, files, median, median * 1000 / Double(files), first.seconds))
    }

    // MARK: database size

    private func benchDatabaseSize(rows: Int) throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("picseek-bench-db-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("index.sqlite").path
        let store = try IndexStore.open(path: path)
        let model = try store.registerModel(
            name: "bench", family: "bench", dimension: dim, fingerprint: "random")
        var rng = Lcg(seed: 42)
        let start = DispatchTime.now().uptimeNanoseconds
        var batch: [PhotoChange] = []
        for i in 0..<rows {
            let path = RawPath.bytes(String(format: "/photos/2024/%02d/IMG_%06d.jpg", i % 12, i))
            var vector = (0..<dim).map { _ in rng.nextFloat() }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            vector = vector.map { $0 / norm }
            batch.append(
                .embedded(
                    FileStamp(
                        path: path, size: 3_000_000 + Int64(i), mtimeNs: 1_700_000_000_000_000_000),
                    hash: SHA256.hash(path),
                    metadata: PhotoMetadata(
                        width: 4000, height: 3000, takenAt: "2024-01-01 12:00:00",
                        camera: "Bench Cam"),
                    vector: vector))
            if batch.count == 1000 || i == rows - 1 {
                _ = try store.apply(batch, model: model)
                batch.removeAll(keepingCapacity: true)
            }
        }
        let insert = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try store.checkpoint()
        var loads: [Double] = []
        var loaded = 0
        for _ in 0..<5 {
            let loadStart = DispatchTime.now().uptimeNanoseconds
            loaded = try store.loadVectors(model: model).count
            loads.append(Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e6)
        }
        let load = Samples(loads).median
        let size =
            ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?
            .int64Value ?? 0
        let vectorBytes = Int64(rows * dim * 4)
        output(
            String(
                format: "index size: %d vectors, file %.1f MB for %.1f MB of vectors (%.2fx), "
                    + "page %d B; insert %.1f s, load median of 5 %.0f ms (%d rows)",
                rows, Double(size) / 1e6, Double(vectorBytes) / 1e6,
                Double(size) / Double(vectorBytes),
                try store.currentPageSize(), insert, load, loaded))
    }
}

/// A small deterministic generator for benchmark data.
struct Lcg {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 2_862_933_555_777_941_757 &+ 3_037_000_493 }
    mutating func nextFloat() -> Float {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
    }
}

/// A `picseek bench search` setting that cannot be used.
public enum SearchBenchError: Error, Equatable, CustomStringConvertible {
    /// A `--sizes` entry that is not a positive count.
    case notACount(String)
    /// A `--db-data` entry that is not a data set of `SyntheticVectors`.
    case notADataSet(String)

    /// The message, naming the entry (escaped for the terminal).
    public var description: String {
        switch self {
        case .notACount(let part):
            "--sizes: \(TerminalSafe.escape(part)) is not a positive count"
        case .notADataSet(let part):
            "--db-data: \(TerminalSafe.escape(part)) is not clustered or random"
        }
    }
}
