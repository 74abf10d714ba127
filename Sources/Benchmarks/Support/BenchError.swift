/// Why a benchmark could not run or could not trust what it measured.
public enum BenchError: Error, CustomStringConvertible, Equatable {
    /// A file the benchmark needs could not be read (path already escaped).
    case unreadable(path: String)
    /// A file the benchmark was asked to write could not be created (path already escaped).
    case unwritable(path: String)
    /// Fewer bytes than asked were written to a file (path already escaped).
    case shortWrite(path: String)
    /// A model folder could not be loaded (path and reason already escaped).
    case modelLoad(path: String, reason: String)
    /// A rescan of unchanged placeholder files saw something other than expected.
    case unexpectedRescan(String)
    /// A search of the start-up benchmark answered other than expected.
    case unexpectedSearch(String)
    /// The null model of the rescan benchmark was asked for a vector.
    case embedderCalled
    /// Settings the benchmark cannot measure with; the message names them.
    case settings(String)
    /// `bench images` cannot make a photo of this format itself and was given no file.
    case needsPhoto(format: String)
    /// The photo given to `bench images` is not of the format asked for (path escaped).
    case wrongFormat(path: String, expected: String, found: String)

    /// The message, lowercase and naming the thing.
    public var description: String {
        switch self {
        case .unreadable(let path): return "cannot read \(path)"
        case .unwritable(let path): return "cannot write \(path)"
        case .shortWrite(let path): return "short write to \(path)"
        case .modelLoad(let path, let reason): return "cannot load model \(path): \(reason)"
        case .unexpectedRescan(let what): return "bench: \(what)"
        case .unexpectedSearch(let what): return "bench search: \(what)"
        case .embedderCalled: return "bench: the embedder must not be called"
        case .settings(let message): return message
        case .needsPhoto(let format):
            return "bench images: picseek writes no \(format) files; pass --file with a \(format) "
                + "photo (scripts/bench_pil_preprocess.py --make \(format) writes one)"
        case .wrongFormat(let path, let expected, let found):
            return "bench images: \(path) is \(found), not \(expected)"
        }
    }

    /// Whether the command line reported this as a usage error before the benchmarks had a
    /// module of their own (with the usage text after it); the others are plain errors.
    public var isUsage: Bool {
        switch self {
        case .unwritable, .shortWrite, .modelLoad, .settings, .needsPhoto: return true
        case .unreadable, .unexpectedRescan, .unexpectedSearch, .embedderCalled, .wrongFormat:
            return false
        }
    }
}
