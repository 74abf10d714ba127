import PicseekCore

/// A file as the scanner saw it: raw path bytes, size and modification time.
public struct FileStamp: Hashable, Sendable {
    /// Absolute path, raw file-system bytes (may be invalid UTF-8).
    public var path: [UInt8]
    /// Size in bytes.
    public var size: Int64
    /// Modification time in nanoseconds since the Unix epoch.
    public var mtimeNs: Int64

    public init(path: [UInt8], size: Int64, mtimeNs: Int64) {
        self.path = path
        self.size = size
        self.mtimeNs = mtimeNs
    }
}

/// What the index knows about one path, for deciding what to redo.
public struct PhotoState: Equatable, Sendable {
    /// Row id.
    public var id: Int64
    /// Size when last indexed.
    public var size: Int64
    /// Modification time (ns) when last indexed.
    public var mtimeNs: Int64
    /// SHA-256 of the content when last indexed, if it could be read.
    public var contentHash: [UInt8]?
    /// Whether the file failed (an error is recorded).
    public var failed: Bool
    /// Whether a vector of the model asked about exists.
    public var embedded: Bool
}

/// One photo row, as shown by `status`, `errors` and the explorer.
public struct StoredPhoto: Equatable, Sendable {
    public var id: Int64
    /// Raw path bytes.
    public var path: [UInt8]
    public var size: Int64
    public var mtimeNs: Int64
    public var contentHash: [UInt8]?
    public var width: Int?
    public var height: Int?
    /// EXIF DateTimeOriginal, "YYYY-MM-DD HH:MM:SS".
    public var takenAt: String?
    public var camera: String?
    /// Why the file could not be indexed, nil when it was.
    public var error: String?
    /// When the row was last written, seconds since the epoch.
    public var indexedAt: Double
}

/// One change the indexer commits for a file.
public enum PhotoChange: Sendable {
    /// The file was decoded and embedded.
    case embedded(FileStamp, hash: [UInt8], metadata: PhotoMetadata, vector: [Float])
    /// The content (same hash and size) is already embedded under another
    /// path: copy that vector and metadata instead of embedding again.
    case reused(FileStamp, hash: [UInt8])
    /// The file could not be read or decoded; `hash` is nil when unreadable.
    case failed(FileStamp, hash: [UInt8]?, error: String)
    /// The file is gone: drop its row and vectors.
    case removed(path: [UInt8])
}

/// What `apply` did with one change, in the same order as the changes.
public enum ChangeOutcome: Equatable, Sendable {
    /// A new row with a vector.
    case added
    /// An existing row got new content or its first vector for this model.
    case updated
    /// The vector was copied from the row at `source` (a move when that path is gone).
    case reused(source: [UInt8])
    /// No row with that hash holds a vector any more: the file must be embedded.
    case reuseMissed
    /// The error was recorded.
    case failed
    /// The row was deleted (false when it was already gone).
    case removed(Bool)
}

/// A past or running indexing run.
public struct RunRecord: Equatable, Sendable {
    public var id: Int64
    public var startedAt: Double
    public var finishedAt: Double?
    /// "completed", "cancelled" or "failed: …"; nil while running or after a crash.
    public var outcome: String?
    public var modelName: String?
    public var added: Int
    public var updated: Int
    public var removed: Int
    public var moved: Int
    public var failed: Int
    /// The machine that ran it, where the database records it (PostgreSQL).
    public var host: String? = nil
    /// Its process id on that machine, where recorded.
    public var processID: Int? = nil
    /// Whether it is still indexing now (it holds the writer lock), where the database can
    /// tell; an unfinished run that is not is one that was interrupted.
    public var indexingNow = false
}

/// Counts of one run, written when it ends.
public struct RunCounts: Equatable, Sendable {
    public var added = 0
    public var updated = 0
    public var removed = 0
    public var moved = 0
    public var failed = 0

    public init() {}
}

/// An indexed folder.
public struct RootRecord: Equatable, Sendable {
    public var id: Int64
    /// Raw path bytes.
    public var path: [UInt8]
    public var addedAt: Double
    public var lastScanAt: Double?
    /// Whether the words in photos under this root are read (OCR); `picseek index DIR
    /// --no-ocr` turns it off for the root.
    public var readsWords = true
    /// The root's name when it is a named root (`picseek index --root-name NAME DIR`); its
    /// `path` is then this machine's mount point, or `NAME:` where it is not mounted.
    public var name: String? = nil
    /// Every machine's mount point of a named root, by host.
    public var mounts: [RootMount] = []

    /// Whether this machine can scan the root: not a named root it does not mount.
    public var isMountedHere: Bool { RootPaths.unmountedRoot(path) == nil }
}

/// All vectors of one model in one contiguous row-major matrix, with the
/// facts the search filters need, read in one transaction.
public struct VectorSet: Sendable {
    /// The model the vectors belong to.
    public var model: ModelRecord
    /// Photo id of each row.
    public var ids: [Int64]
    /// Raw path of each row.
    public var paths: [[UInt8]]
    /// EXIF date of each row, when known.
    public var takenAt: [String?]
    /// Modification time (ns) of each row.
    public var mtimeNs: [Int64]
    /// `count × model.dimension` floats.
    public var matrix: [Float]
    /// The store's generation when this was read.
    public var generation: Int64

    /// Number of vectors.
    public var count: Int { ids.count }

    /// Creates a set; `matrix` holds `ids.count × model.dimension` floats.
    public init(
        model: ModelRecord, ids: [Int64], paths: [[UInt8]], takenAt: [String?], mtimeNs: [Int64],
        matrix: [Float], generation: Int64
    ) {
        self.model = model
        self.ids = ids
        self.paths = paths
        self.takenAt = takenAt
        self.mtimeNs = mtimeNs
        self.matrix = matrix
        self.generation = generation
    }
}

/// Counts for `picseek status` and `picseek doctor`: every model, folder and the last run
/// (the explorer's view with one model is `summary(model:roots:isLoadable:)`).
public struct StoreSummary: Equatable, Sendable {
    /// Rows in `photos`.
    public var photos: Int
    /// Rows with an error.
    public var failed: Int
    /// Each model with its vector count.
    public var models: [(model: ModelRecord, vectors: Int)]
    public var roots: [RootRecord]
    /// The most recent run.
    public var lastRun: RunRecord?

    public static func == (a: StoreSummary, b: StoreSummary) -> Bool {
        a.photos == b.photos && a.failed == b.failed && a.roots == b.roots
            && a.lastRun == b.lastRun && a.models.map(\.model) == b.models.map(\.model)
            && a.models.map(\.vectors) == b.models.map(\.vectors)
    }
}
