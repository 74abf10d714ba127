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
