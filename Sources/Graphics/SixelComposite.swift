/// One picture inside a composite sixel image.
public struct SixelPiece: Sendable {
    /// Packed RGB pixels, row-major, 3 bytes a pixel.
    public var pixels: [UInt8]
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Left edge in the composite, in pixels.
    public var x: Int
    /// Top edge in the composite, in pixels.
    public var y: Int

    /// Creates a piece.
    public init(pixels: [UInt8], width: Int, height: Int, x: Int, y: Int) {
        self.pixels = pixels
        self.width = width
        self.height = height
        self.x = x
        self.y = y
    }
}

extension Sixel {
    /// One sixel image of `width` x `height` holding several pictures at their
    /// offsets; pixels no piece covers stay transparent (the sequence selects
    /// P2=1), so the text under them shows. A terminal keeps a limited number
    /// of sixel images on screen (xterm: 32), so a grid of thumbnails goes out
    /// as one image a row. Pieces are clipped to the image; one palette of at
    /// most `colors - 1` registers serves them all.
    public static func encodeComposite(
        _ pieces: [SixelPiece], width: Int, height: Int, colors: Int = 256
    ) -> [UInt8] {
        var encoder = SixelEncoder()
        return encoder.encodeComposite(pieces, width: width, height: height, colors: colors)
    }
}

extension SixelEncoder {
    /// The same as `Sixel.encodeComposite`, reusing this encoder's buffers.
    public mutating func encodeComposite(
        _ pieces: [SixelPiece], width: Int, height: Int, colors: Int = 256
    ) -> [UInt8] {
        precondition((2...256).contains(colors), "sixel colors must be in 2...256")
        guard width > 0, height > 0, !pieces.isEmpty else { return [] }
        var canvas = [UInt8](repeating: 0, count: width * height * 3)
        var covered = [Bool](repeating: false, count: width * height)
        for piece in pieces {
            precondition(piece.pixels.count == piece.width * piece.height * 3)
            let x0 = max(0, piece.x)
            let x1 = min(width, piece.x + piece.width)
            guard x0 < x1 else { continue }
            for row in max(0, piece.y)..<min(height, piece.y + piece.height) {
                let source = ((row - piece.y) * piece.width + (x0 - piece.x)) * 3
                let target = (row * width + x0) * 3
                canvas.replaceSubrange(
                    target..<(target + (x1 - x0) * 3),
                    with: piece.pixels[source..<(source + (x1 - x0) * 3)])
                for x in x0..<x1 { covered[row * width + x] = true }
            }
        }
        return encode(
            pixels: canvas, width: width, height: height, colors: max(2, min(colors - 1, 255)),
            covered: covered)
    }
}
