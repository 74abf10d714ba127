import PicseekCore

/// One search result as the explorer shows it.
public struct Hit: Equatable, Sendable {
    /// The photo's id in the index.
    public var photoID: Int64
    /// The photo's path exactly as stored: file names need not be UTF-8.
    public var pathBytes: [UInt8]
    /// Similarity to the query, e.g. 0.31 (cosine).
    public var score: Float
    /// A small image for the grid, when the backend already has it.
    public var thumbnail: RGBImage?
    /// When the photo was taken (EXIF), else modified: "YYYY-MM-DD HH:MM:SS", sortable as text.
    public var date: String?

    /// Creates a hit from the path's bytes as stored.
    public init(photoID: Int64, pathBytes: [UInt8], score: Float, date: String? = nil, thumbnail: RGBImage? = nil) {
        self.photoID = photoID
        self.pathBytes = pathBytes
        self.score = score
        self.date = date
        self.thumbnail = thumbnail
    }

    /// Creates a hit for a UTF-8 path.
    public init(photoID: Int64, path: String, score: Float, date: String? = nil, thumbnail: RGBImage? = nil) {
        self.init(photoID: photoID, pathBytes: Array(path.utf8), score: score, date: date, thumbnail: thumbnail)
    }

    /// The path for display: bytes that are not UTF-8 become U+FFFD (raw; the view escapes it).
    public var path: String { String(decoding: pathBytes, as: UTF8.self) }

    /// The last path component.
    public var fileName: String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// The folder part of the path ("" for a bare name).
    public var folder: String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }
}

/// Facts about one photo for the detail pane.
public struct PhotoDetail: Equatable, Sendable {
    /// The photo's id in the index.
    public var photoID: Int64
    /// Full path exactly as stored: file names need not be UTF-8.
    public var pathBytes: [UInt8]
    /// Pixel size and EXIF facts, when known.
    public var metadata: PhotoMetadata?
    /// File size in bytes, when known.
    public var fileSize: Int64?
    /// A larger preview than the grid thumbnail, when the backend has one.
    public var preview: RGBImage?

    /// Creates a detail record from the path's bytes as stored.
    public init(
        photoID: Int64, pathBytes: [UInt8], metadata: PhotoMetadata? = nil, fileSize: Int64? = nil,
        preview: RGBImage? = nil
    ) {
        self.photoID = photoID
        self.pathBytes = pathBytes
        self.metadata = metadata
        self.fileSize = fileSize
        self.preview = preview
    }

    /// Creates a detail record for a UTF-8 path.
    public init(
        photoID: Int64, path: String, metadata: PhotoMetadata? = nil, fileSize: Int64? = nil,
        preview: RGBImage? = nil
    ) {
        self.init(photoID: photoID, pathBytes: Array(path.utf8), metadata: metadata,
                  fileSize: fileSize, preview: preview)
    }

    /// The path for display: bytes that are not UTF-8 become U+FFFD (raw; the view escapes it).
    public var path: String { String(decoding: pathBytes, as: UTF8.self) }
}

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

    /// Creates a summary.
    public init(photos: Int, errors: Int, modelName: String, roots: [String], models: [String] = []) {
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

/// Where a background reindex is.
public struct IndexProgress: Equatable, Sendable {
    /// Photos processed so far.
    public var done: Int
    /// Photos to process in total (0 while still scanning).
    public var total: Int
    /// Photos per second over the recent past.
    public var rate: Double
    /// Seconds left, when it can be estimated.
    public var eta: Double?
    /// The file being processed (raw; the view escapes it).
    public var currentFile: String?
    /// Photos that failed so far in this run.
    public var errors: Int

    /// Creates a progress report.
    public init(
        done: Int, total: Int, rate: Double = 0, eta: Double? = nil, currentFile: String? = nil,
        errors: Int = 0
    ) {
        self.done = done
        self.total = total
        self.rate = rate
        self.eta = eta
        self.currentFile = currentFile
        self.errors = errors
    }
}

/// A photo marked for printing when the explorer ends.
public struct MarkedPhoto: Equatable, Sendable {
    /// The photo's id in the index.
    public var photoID: Int64
    /// Its path exactly as stored.
    public var pathBytes: [UInt8]

    /// Creates a mark for the photo `photoID` stored at `pathBytes`.
    public init(photoID: Int64, pathBytes: [UInt8]) {
        self.photoID = photoID
        self.pathBytes = pathBytes
    }
}

/// How the grid orders the results (the backend always picks the best by score).
public enum ResultOrder: Equatable, Sendable, CaseIterable {
    /// Best score first, as the backend returns them.
    case score
    /// Newest date first (taken, else modified).
    case newest
    /// Oldest date first.
    case oldest

    /// How the results rule and the status line name it.
    public var label: String {
        switch self {
        case .score: return "best first"
        case .newest: return "newest first"
        case .oldest: return "oldest first"
        }
    }

    /// The next order `d` switches to.
    public var next: ResultOrder {
        switch self {
        case .score: return .newest
        case .newest: return .oldest
        case .oldest: return .score
        }
    }

    /// `hits` in this order: by score (best first), or by date with equal dates by
    /// score; hits without a date go last. Stable for equal keys.
    public func sorted(_ hits: [Hit]) -> [Hit] {
        let indexed = Array(hits.enumerated())
        func before(_ a: (offset: Int, element: Hit), _ b: (offset: Int, element: Hit)) -> Bool {
            let x = a.element, y = b.element
            if self != .score, x.date != y.date {
                guard let dx = x.date else { return false }
                guard let dy = y.date else { return true }
                return self == .newest ? dx > dy : dx < dy
            }
            if x.score != y.score { return x.score > y.score }
            return a.offset < b.offset
        }
        return indexed.sorted(by: before).map(\.element)
    }
}

/// Which prompt templates the backend wraps a text query in.
public enum PromptLanguage: String, Equatable, Sendable, CaseIterable {
    /// Chosen per query: Chinese when the query holds Chinese characters.
    case auto
    case english = "en"
    case chinese = "zh"

    /// How the status line names a chosen language (`auto` alone says
    /// nothing of the current query: see `label(for:)`).
    public var label: String {
        switch self {
        case .auto: return "auto"
        case .english: return "EN"
        case .chinese: return "中文"
        }
    }

    /// The language a query actually uses: `auto` resolved by its characters.
    public func resolved(for query: String) -> PromptLanguage {
        guard self == .auto else { return self }
        return HanScript.contains(query) ? .chinese : .english
    }

    /// The status line's name for this setting with `query` typed:
    /// "EN", "中文", or "auto EN" / "auto 中文" for what detection picks.
    public func label(for query: String) -> String {
        self == .auto ? "auto " + resolved(for: query).label : label
    }

    /// The next setting `t` switches to: auto, English, 中文, auto.
    public var toggled: PromptLanguage {
        switch self {
        case .auto: return .english
        case .english: return .chinese
        case .chinese: return .auto
        }
    }
}
