import Testing

@testable import Graphics

@Suite("composite sixel images")
struct SixelCompositeTests {
    static func solid(_ w: Int, _ h: Int, _ rgb: (UInt8, UInt8, UInt8)) -> [UInt8] {
        var out: [UInt8] = []
        for _ in 0..<(w * h) { out += [rgb.0, rgb.1, rgb.2] }
        return out
    }

    @Test("pieces land at their offsets, and only the pixels they cover are painted")
    func offsetsAndTransparency() throws {
        let red = SixelPiece(pixels: Self.solid(5, 7, (255, 0, 0)), width: 5, height: 7, x: 1, y: 2)
        let blue = SixelPiece(
            pixels: Self.solid(4, 3, (0, 0, 255)), width: 4, height: 3, x: 10, y: 0)
        let bytes = Sixel.encodeComposite([red, blue], width: 16, height: 11)
        let image = try SixelDecoder.decode(bytes)
        #expect(image.width == 16 && image.height == 11)
        #expect(image.overpainted == 0)
        var paintedCount = 0
        for y in 0..<11 {
            for x in 0..<16 {
                let p = y * 16 + x
                let inRed = (1..<6).contains(x) && (2..<9).contains(y)
                let inBlue = (10..<14).contains(x) && (0..<3).contains(y)
                #expect(image.painted[p] == (inRed || inBlue), "pixel \(x),\(y)")
                if image.painted[p] { paintedCount += 1 }
                if inRed { #expect(Array(image.pixels[(3 * p)..<(3 * p + 3)]) == [255, 0, 0]) }
                if inBlue { #expect(Array(image.pixels[(3 * p)..<(3 * p + 3)]) == [0, 0, 255]) }
            }
        }
        #expect(paintedCount == 5 * 7 + 4 * 3)
    }

    @Test("pieces are clipped to the image, and the register count stays under the limit")
    func clippingAndRegisters() throws {
        var gradient: [UInt8] = []
        for y in 0..<40 {
            for x in 0..<60 { gradient += [UInt8(x * 4), UInt8(y * 6), UInt8((x + y) * 2)] }
        }
        let pieces = [
            SixelPiece(pixels: gradient, width: 60, height: 40, x: -5, y: -3),
            SixelPiece(pixels: gradient, width: 60, height: 40, x: 50, y: 20),
        ]
        let image = try SixelDecoder.decode(
            Sixel.encodeComposite(pieces, width: 80, height: 50, colors: 16))
        #expect(image.registers.count <= 15)
        #expect(image.painted[0] && image.painted[79 * 1 + 49 * 80])
        // Between the two pieces nothing is painted.
        #expect(!image.painted[10 * 80 + 70] && !image.painted[45 * 80 + 20])
        #expect(Sixel.encodeComposite([], width: 10, height: 10).isEmpty)
    }
}
