/// What the index holds, for the status line and the empty-index screen.
public struct IndexSummary: Equatable, Sendable {
    /// Photos with vectors, searchable now.
    public var photos: Int
    /// Photos that failed to decode or embed.
    public var errors: Int
    /// The model's display name, e.g. "chinese-clip-vit-b-16".
    public var modelName: String
    /// Folders the index covers (raw; the view escapes them).
    public var roots: [String]
    /// Models that have vectors in this index and can be loaded here, in the
    /// order `m` cycles through them (empty or one entry: nothing to switch).
    public var models: [String]
    /// Files of image formats picseek does not read, skipped by the last reindex
    /// run from the explorer.
    public var skipped = 0
    /// Why the index cannot be written (read-only file or mount, full disk), when it cannot:
    /// the status line says "read-only index" and reindexing is disabled.
    public var readOnlyReason: String?
    /// Photo contents whose words have been read (OCR), when the index can tell.
    public var wordsRead = 0
    /// Photo contents with vectors whose words are still to be read (0 when none are, or
    /// when reading words is off for their folders).
    public var wordsPending = 0

    /// Creates a summary.
    public init(
        photos: Int, errors: Int, modelName: String, roots: [String], models: [String] = []
    ) {
        self.photos = photos
        self.errors = errors
        self.modelName = modelName
        self.roots = roots
        self.models = models
    }

    /// The model after the current one in `models`, or nil when there is no
    /// other model to switch to.
    public var nextModel: String? {
        let others = models.filter { $0 != modelName }
        guard !others.isEmpty else { return nil }
        guard let index = models.firstIndex(of: modelName) else { return others[0] }
        return models[(index + 1) % models.count]
    }
}
