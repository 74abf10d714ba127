/// A decoded image: packed 8-bit RGB, row-major, no padding.
public struct RGBImage: Equatable, Sendable {
    /// Width in pixels, e.g. 224.
    public var width: Int
    /// Height in pixels, e.g. 224.
    public var height: Int
    /// `width * height * 3` bytes, R G B per pixel.
    public var pixels: [UInt8]

    /// Creates an image; `pixels.count` must equal `width * height * 3`.
    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 3, "pixel buffer does not match size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }
}
