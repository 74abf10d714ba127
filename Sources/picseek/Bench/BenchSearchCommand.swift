import ArgumentParser
import Benchmarks
import Store

/// `picseek bench search`: brute-force top-k speed, start-up of synthetic indexes with and
/// without their vector cache, plus a no-change rescan and the index file size per vector
/// byte.
struct BenchSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract:
            "Time top-k search over random vectors, start-up of large synthetic indexes, a "
            + "no-change rescan, and index size.")

    @Option(help: "Comma-separated numbers of vectors.")
    var sizes = "100000,1000000"

    @Option(help: "Vector dimension.")
    var dim = 512

    @Option(help: "Results per query.")
    var top = 10

    @Option(help: "Timed queries per size and method (the median is reported).")
    var repeats = 15

    @Option(help: "Empty placeholder files for the no-change rescan (0 skips it).")
    var rescanFiles = 20000

    @Option(help: "Vectors written for the index size measurement (0 skips it).")
    var dbRows = 20000

    @Option(
        help: ArgumentHelp(
            "Vectors compared pairwise by `picseek duplicates`' finder, with 2 threads (0 "
                + "skips it).")
    )
    var duplicateRows = 20000

    @Option(
        help: ArgumentHelp(
            "Comma-separated numbers of photos in the synthetic indexes whose start-up is "
                + "timed (an empty list skips it).")
    )
    var startupSizes = "100000,1000000"

    @Option(help: "Warm starts timed per start-up size (the median is reported).")
    var startupRuns = 5

    @Option(
        help: ArgumentHelp(
            "Folder where the synthetic indexes are kept and reused (default: a temporary "
                + "folder, removed afterwards).",
            valueName: "dir"))
    var indexDir: String?

    @Option(
        help: ArgumentHelp(
            "Also measure the PostgreSQL index at this URL (an empty database: the bench "
                + "writes its own photos there): exact and HNSW search, recall, 4 searchers.",
            valueName: "url"))
    var db: String?

    @Option(
        help: ArgumentHelp(
            "Comma-separated numbers of vectors per data set (random, clustered) for the "
                + "PostgreSQL measurement."))
    var dbCount = "100000"

    @Option(help: "HNSW neighbours per node (m) of the PostgreSQL bench indexes.")
    var dbM = HNSWParameters.standard.m

    @Option(help: "HNSW ef_construction of the PostgreSQL bench indexes.")
    var dbEfConstruction = HNSWParameters.standard.efConstruction

    @Option(help: "Data sets for the PostgreSQL measurement (comma-separated).")
    var dbData = "clustered,random"

    @Option(
        help: ArgumentHelp(
            "Empty placeholder files for the no-change rescan on SQLite and PostgreSQL (0 "
                + "skips it)."))
    var dbRescanFiles = 100_000

    @Option(help: "HNSW candidate counts measured (comma-separated) for the PostgreSQL index.")
    var dbCandidates = "40,100,200,400"

    func run() throws {
        var bench = SearchBench()
        bench.dim = dim
        bench.top = top
        bench.repeats = repeats
        bench.rescanFiles = rescanFiles
        bench.dbRows = dbRows
        bench.duplicateRows = duplicateRows
        bench.startupRuns = startupRuns
        bench.indexFolder = indexDir
        try BenchCommand.reporting {
            bench.startupSizes =
                startupSizes.isEmpty ? [] : try SearchBench.sizes(parsing: startupSizes)
            try bench.run(sizes: sizes)
        }
        if let db {
            var postgres = PostgresSearchBench(url: db)
            postgres.dim = dim
            postgres.top = top
            try BenchCommand.reporting {
                postgres.counts = try SearchBench.sizes(parsing: dbCount)
                postgres.candidates = try SearchBench.sizes(parsing: dbCandidates)
                postgres.rescanFiles = dbRescanFiles
                postgres.kinds = try SyntheticVectors.Kind.list(parsing: dbData)
                postgres.parameters = HNSWParameters(m: dbM, efConstruction: dbEfConstruction)
                try postgres.run()
            }
        }
    }
}
