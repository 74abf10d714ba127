/// One photo after a single decode: the model input, a thumbnail and metadata.
public struct ProcessedPhoto: Sendable {
    /// Model input, channel-planar float32, `3 * size * size` values.
    public var input: [Float]
    /// A small RGB preview (longest side about 256 pixels), EXIF-oriented.
    public var thumbnail: RGBImage
    /// Pixel size, orientation, EXIF date and camera.
    public var metadata: PhotoMetadata

    public init(input: [Float], thumbnail: RGBImage, metadata: PhotoMetadata) {
        self.input = input
        self.thumbnail = thumbnail
        self.metadata = metadata
    }
}
