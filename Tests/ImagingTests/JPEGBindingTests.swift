import PicseekCore
import Testing

@testable import Imaging

@Suite("JPEG binding")
struct JPEGBindingTests {
    /// A 16x8 image: left half red, right half blue.
    static func twoTone() -> RGBImage {
        var pixels = [UInt8]()
        for _ in 0..<8 {
            for x in 0..<16 {
                pixels += x < 8 ? [255, 0, 0] : [0, 0, 255]
            }
        }
        return RGBImage(width: 16, height: 8, pixels: pixels)
    }

    @Test("a JPEG made in the test decodes to the same size and close colours")
    func roundTrip() throws {
        let data = try JPEG.encode(Self.twoTone(), quality: 95)
        let decoded = try JPEG.decode(data)
        #expect(decoded.image.width == 16)
        #expect(decoded.image.height == 8)
        #expect(decoded.info.colorSpace == .yCbCr)
        // Centre of the red half and of the blue half (JPEG is lossy: allow 24).
        let red = Array(decoded.image.pixels[(4 * 16 + 2) * 3..<(4 * 16 + 2) * 3 + 3])
        let blue = Array(decoded.image.pixels[(4 * 16 + 13) * 3..<(4 * 16 + 13) * 3 + 3])
        #expect(abs(Int(red[0]) - 255) < 24 && red[2] < 24)
        #expect(abs(Int(blue[2]) - 255) < 24 && blue[0] < 24)
    }

    @Test("DCT scaling halves each side")
    func scaled() throws {
        let data = try JPEG.encode(Self.twoTone())
        let decoded = try JPEG.decode(data, scale: 2)
        #expect(decoded.image.width == 8 && decoded.image.height == 4)
    }

    @Test("corrupt data gives a typed error carrying libjpeg's message")
    func corrupt() throws {
        var data = try JPEG.encode(Self.twoTone())
        // Destroy the SOI marker: libjpeg reports "Not a JPEG file".
        data[0] = 0x00
        #expect {
            _ = try JPEG.decode(data)
        } throws: { error in
            guard case JPEGError.decode(let message) = error else { return false }
            return message.contains("Not a JPEG file")
        }
    }

    @Test("truncated data is an error, not a grey-padded image")
    func truncated() throws {
        let data = try JPEG.encode(Self.twoTone())
        let cut = Array(data.prefix(data.count / 2))
        #expect(throws: JPEGError.self) { _ = try JPEG.decode(cut) }
    }

    @Test("empty input is rejected")
    func empty() {
        #expect(throws: JPEGError.self) { _ = try JPEG.decode([]) }
    }

    @Test("the pixel cap is checked from the header before decoding")
    func tooLarge() throws {
        let data = try JPEG.encode(Self.twoTone())
        #expect(throws: JPEGError.tooLarge(width: 16, height: 8, limit: 100)) {
            _ = try JPEG.decode(data, maxPixels: 100)
        }
    }
}
