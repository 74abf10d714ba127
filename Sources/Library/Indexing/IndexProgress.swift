/// A snapshot of a running index, passed to the progress callback.
public struct IndexProgress: Sendable {
    /// What the worker is doing.
    public enum Phase: String, Sendable {
        case scanning, indexing, removing, finished
    }

    public var phase: Phase
    /// Photo files found so far.
    public var scanned: Int
    /// Files that need work this run (new, changed or missing a vector).
    public var total: Int
    /// Files of `total` handled so far (embedded, reused or failed).
    public var done: Int
    /// Files that failed this run.
    public var failed: Int
    /// Files whose vector was copied from identical content.
    public var reused: Int
    /// Files handled per second, since indexing began.
    public var rate: Double
    /// Estimated seconds left, when a rate is known.
    public var eta: Double?
    /// The file being handled (raw bytes; escape before printing).
    public var current: [UInt8]?
    /// The latest failure, as "path: reason" with the path escaped.
    public var lastError: String?
}

/// What one run did.
public struct IndexReport: Sendable {
    /// Photo files found under the roots.
    public var scanned = 0
    /// Files already indexed and unchanged.
    public var unchanged = 0
    /// New files embedded.
    public var added = 0
    /// Changed files re-embedded, or files given their first vector of this model.
    public var updated = 0
    /// New paths whose content was indexed under a path now gone (moves, renames).
    public var moved = 0
    /// New paths whose vector was copied from identical content still present.
    public var duplicates = 0
    /// Files recorded with an error.
    public var failed = 0
    /// Rows of files that disappeared.
    public var removed = 0
    /// Images sent through the embedder.
    public var embedded = 0
    /// Folders or roots that could not be read (rows under them were kept).
    public var problems: [ScanProblem] = []
    /// Files of image formats picseek does not read, by extension (not indexed).
    public var skipped: [String: Int] = [:]
    /// True when cancelled before the end; a later run continues.
    public var cancelled = false
    /// Wall time in seconds.
    public var seconds = 0.0
}
