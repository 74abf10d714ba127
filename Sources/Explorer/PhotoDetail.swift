import PicseekCore

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
    /// The words read in the photo (OCR), with boxes; nil when they have not been read.
    public var words: RecognizedText?

    /// Creates a detail record from the path's bytes as stored.
    public init(
        photoID: Int64, pathBytes: [UInt8], metadata: PhotoMetadata? = nil, fileSize: Int64? = nil,
        preview: RGBImage? = nil, words: RecognizedText? = nil
    ) {
        self.photoID = photoID
        self.pathBytes = pathBytes
        self.metadata = metadata
        self.fileSize = fileSize
        self.preview = preview
        self.words = words
    }

    /// Creates a detail record for a UTF-8 path.
    public init(
        photoID: Int64, path: String, metadata: PhotoMetadata? = nil, fileSize: Int64? = nil,
        preview: RGBImage? = nil, words: RecognizedText? = nil
    ) {
        self.init(
            photoID: photoID, pathBytes: Array(path.utf8), metadata: metadata,
            fileSize: fileSize, preview: preview, words: words)
    }

    /// The path for display: bytes that are not UTF-8 become U+FFFD (raw; the view escapes it).
    public var path: String { String(decoding: pathBytes, as: UTF8.self) }
}
