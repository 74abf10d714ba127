import PicseekCore
import Testing

@testable import Imaging

@Suite("PNG decoding")
struct PNGTests {
    typealias T = TestSupport

    @Test("8-bit RGB round-trips exactly")
    func rgb8() throws {
        let image = T.noise(width: 7, height: 5, seed: 1)
        let decoded = try PNG.decode(T.png(image))
        #expect(decoded.image == image)
        #expect(decoded.info.colorType == .rgb && decoded.info.bitDepth == 8)
    }

    @Test("16-bit samples keep their high byte, as PIL does for RGB")
    func rgb16() throws {
        let samples: [UInt16] = [0x0000, 0x00FF, 0x0100, 0x7FFF, 0x8000, 0xFFFF]
        var row: [UInt8] = []
        for s in samples { row += [UInt8(s >> 8), UInt8(s & 0xFF)] } // one RGB pixel = 3 samples
        let data = T.png(width: 2, height: 1, depth: 16, colorType: 2, rows: [row])
        let decoded = try PNG.decode(data)
        #expect(decoded.image.pixels == [0x00, 0x00, 0x01, 0x7F, 0x80, 0xFF])
    }

    @Test("16-bit grey keeps the high byte (PIL would clip I;16 to 255; documented deviation)")
    func grey16() throws {
        let data = T.png(
            width: 3, height: 1, depth: 16, colorType: 0,
            rows: [[0x12, 0x34, 0x80, 0x00, 0xFF, 0xFF]])
        #expect(
            try PNG.decode(data).image.pixels == [
                0x12, 0x12, 0x12, 0x80, 0x80, 0x80, 0xFF, 0xFF, 0xFF,
            ])
    }

    @Test("grey+alpha and RGBA drop alpha and keep the stored colour")
    func alphaDropped() throws {
        let la = T.png(width: 2, height: 1, depth: 8, colorType: 4, rows: [[100, 0, 200, 255]])
        #expect(try PNG.decode(la).image.pixels == [100, 100, 100, 200, 200, 200])
        let rgba = T.png(width: 1, height: 1, depth: 8, colorType: 6, rows: [[1, 2, 3, 0]])
        let decoded = try PNG.decode(rgba)
        #expect(decoded.image.pixels == [1, 2, 3])
        #expect(decoded.info.hasAlpha)
    }

    @Test("palette (with tRNS) and 1/2/4-bit grey expand like PIL")
    func paletteAndLowBit() throws {
        let plte = T.chunk("PLTE", [255, 0, 0, 0, 255, 0, 0, 0, 255])
        let trns = T.chunk("tRNS", [0, 128])
        // 2-bit indices 0, 1, 2 packed in one byte: 00 01 10 xx
        let pal = T.png(
            width: 3, height: 1, depth: 2, colorType: 3, rows: [[0b0001_1000]], before: plte + trns)
        #expect(try PNG.decode(pal).image.pixels == [255, 0, 0, 0, 255, 0, 0, 0, 255])
        let grey1 = T.png(width: 3, height: 1, depth: 1, colorType: 0, rows: [[0b1010_0000]])
        #expect(try PNG.decode(grey1).image.pixels == [255, 255, 255, 0, 0, 0, 255, 255, 255])
        let grey4 = T.png(width: 2, height: 1, depth: 4, colorType: 0, rows: [[0x3C]])
        #expect(try PNG.decode(grey4).image.pixels == [51, 51, 51, 204, 204, 204])
    }

    @Test("an eXIf chunk is returned for the EXIF reader")
    func exifChunk() throws {
        let tiff = T.tiff([T.short(0x0112, 6)])
        let data = T.png(
            width: 1, height: 1, depth: 8, colorType: 2, rows: [[9, 9, 9]],
            before: T.chunk("eXIf", tiff))
        let decoded = try PNG.decode(data)
        #expect(decoded.exif == tiff)
    }

    @Test("a bad CRC is a decode error naming the chunk")
    func badCRC() throws {
        var data = T.png(T.noise(width: 4, height: 4, seed: 2))
        data[data.count - 12 - 1] ^= 0xFF // last byte of the IDAT CRC
        #expect { try PNG.decode(data) } throws: { error in
            guard case PNGError.decode(let m) = error else { return false }
            return m.contains("CRC")
        }
    }

    @Test("a file cut inside IDAT is truncated")
    func truncated() throws {
        let data = T.png(T.noise(width: 16, height: 16, seed: 3))
        #expect { try PNG.decode(Array(data.prefix(data.count / 2))) } throws: { error in
            guard case PNGError.truncated = error else { return false }
            return true
        }
    }

    @Test("absurd IHDR dimensions are refused before any pixel memory is allocated")
    func absurd() throws {
        let data =
            T.pngSignature + T.ihdr(width: 65500, height: 65500, depth: 8, colorType: 2)
            + T.chunk("IEND", [])
        #expect(throws: PNGError.tooLarge(width: 65500, height: 65500, limit: 100_000_000)) {
            try PNG.decode(data)
        }
    }
}
