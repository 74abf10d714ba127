import PicseekCore
import Testing

@testable import Imaging

@Suite("JPEG encoder")
struct JPEGEncodeTests {
    @Test("an image wider than JPEG allows fails with libjpeg's message, not a crash")
    func tooWide() {
        let width = 70_000 // JPEG's limit is 65,500 pixels a side
        let image = RGBImage(
            width: width, height: 1, pixels: [UInt8](repeating: 128, count: width * 3))
        #expect(
            throws: JPEGError.decode(
                message: "Maximum supported image dimension is 65500 pixels")
        ) {
            try JPEG.encode(image)
        }
    }

    @Test("grey and RGB pixels encode to JPEGs of that colour space", arguments: [1, 3])
    func greyAndRGB(components: Int) throws {
        let pixels = (0..<(24 * 16 * components)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let data = try JPEG.encode(
            pixels: pixels, width: 24, height: 16, components: components, quality: 90)
        let decoded = try JPEG.decode(data)
        #expect(decoded.image.width == 24 && decoded.image.height == 16)
        #expect(decoded.info.colorSpace == (components == 1 ? .gray : .yCbCr))
    }

    @Test("a component count the encoder does not know is refused")
    func badComponents() {
        #expect(throws: JPEGError.invalidInput(message: "invalid encode arguments")) {
            try JPEG.encode(pixels: [0, 0], width: 1, height: 1, components: 2)
        }
    }
}
