/// Facts about a photo read while decoding it, for the index and the detail pane.
public struct PhotoMetadata: Equatable, Sendable {
    /// Width after EXIF orientation is applied, in pixels.
    public var width: Int
    /// Height after EXIF orientation is applied, in pixels.
    public var height: Int
    /// EXIF orientation tag, 1...8 (1 when absent).
    public var orientation: Int
    /// EXIF DateTimeOriginal as "YYYY-MM-DD HH:MM:SS", when present and valid.
    public var takenAt: String?
    /// EXIF Make and Model joined, e.g. "Canon EOS 5D", when present.
    public var camera: String?

    public init(
        width: Int, height: Int, orientation: Int = 1, takenAt: String? = nil, camera: String? = nil
    ) {
        self.width = width
        self.height = height
        self.orientation = orientation
        self.takenAt = takenAt
        self.camera = camera
    }
}
