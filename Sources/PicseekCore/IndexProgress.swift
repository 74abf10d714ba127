/// A snapshot of a running index: passed to the indexer's progress callback, printed by
/// `picseek index` and shown on the explorer's status line.
public struct IndexProgress: Equatable, Sendable {
    /// What the worker is doing.
    public enum Phase: String, Sendable {
        /// Walking the folders for photo files.
        case scanning
        /// Decoding and embedding what is new or changed.
        case indexing
        /// Dropping the rows of files that are gone.
        case removing
        /// The run is complete.
        case finished
    }

    /// What the worker is doing now.
    public var phase: Phase
    /// Photo files found so far.
    public var scanned: Int
    /// Files of `total` handled so far (embedded, reused or failed).
    public var done: Int
    /// Files that need work this run (new, changed or missing a vector); 0 while scanning.
    public var total: Int
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

    /// Creates a progress report.
    public init(
        phase: Phase = .indexing, scanned: Int = 0, done: Int, total: Int, failed: Int = 0,
        reused: Int = 0, rate: Double = 0, eta: Double? = nil, current: [UInt8]? = nil,
        lastError: String? = nil
    ) {
        self.phase = phase
        self.scanned = scanned
        self.done = done
        self.total = total
        self.failed = failed
        self.reused = reused
        self.rate = rate
        self.eta = eta
        self.current = current
        self.lastError = lastError
    }
}
