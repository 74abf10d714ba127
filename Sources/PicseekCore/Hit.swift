/// One search result: the photo, its score and, when known, its date and a thumbnail.
///
/// Library's `SearchEngine` returns these; the explorer shows them and `picseek search`
/// prints them (`HitFormatter`).
public struct Hit: Equatable, Sendable {
    /// The photo's id in the index.
    public var photoID: Int64
    /// The photo's path exactly as stored: file names need not be UTF-8.
    public var pathBytes: [UInt8]
    /// Similarity to the query, e.g. 0.31 (cosine).
    public var score: Float
    /// A small image for the grid, when the backend already has it.
    public var thumbnail: RGBImage?
    /// When the photo was taken (EXIF), else modified (local time): "YYYY-MM-DD HH:MM:SS",
    /// sortable as text. The search engine always sets it.
    public var date: String?
    /// For a search by the words in photos: the matched text around the match, the match in
    /// [brackets] (raw; escape it before printing); nil for a search by meaning alone.
    public var snippet: String?

    /// Creates a hit from the path's bytes as stored.
    public init(
        photoID: Int64, pathBytes: [UInt8], score: Float, date: String? = nil,
        thumbnail: RGBImage? = nil, snippet: String? = nil
    ) {
        self.photoID = photoID
        self.pathBytes = pathBytes
        self.score = score
        self.date = date
        self.thumbnail = thumbnail
        self.snippet = snippet
    }

    /// Creates a hit for a UTF-8 path.
    public init(
        photoID: Int64, path: String, score: Float, date: String? = nil,
        thumbnail: RGBImage? = nil, snippet: String? = nil
    ) {
        self.init(
            photoID: photoID, pathBytes: Array(path.utf8), score: score, date: date,
            thumbnail: thumbnail, snippet: snippet)
    }

    /// The path for display: bytes that are not UTF-8 become U+FFFD (raw; escape it before
    /// printing).
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
