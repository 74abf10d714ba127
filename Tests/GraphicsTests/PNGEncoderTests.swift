import Imaging
import Testing

@testable import Benchmarks
@testable import Graphics

@Suite("PNG encoder")
struct PNGEncoderTests {
    @Test("checksums match the published check values")
    func checkValues() {
        #expect(Checksums.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Checksums.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        #expect(Checksums.crc32([]) == 0)
        #expect(Checksums.adler32([]) == 1)
    }

    @Test("checksums agree with the test's bitwise versions on long input")
    func checksumsLong() {
        // Long enough for Adler-32's deferred modulo to matter (several 5552-byte rounds).
        let bytes = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 255) }
        #expect(Checksums.crc32(bytes) == PNGDecoder.crc32(bytes[...]))
        #expect(Checksums.adler32(bytes) == PNGDecoder.adler32(bytes))
    }

    @Test("the file decodes back to the same pixels, CRCs and Adler-32 intact")
    func roundTrip() throws {
        for (w, h) in [(1, 1), (3, 2), (17, 5), (160, 96), (200, 120)] {
            for pixels in [
                Images.noise(width: w, height: h, seed: UInt64(w + h)),
                GraphicsBench.synthetic(width: w, height: h, seed: 4).pixels,
                Images.fewColours(width: w, height: h, count: 3, seed: 5),
            ] {
                for compression in [PNGEncoder.Compression.stored, .fast] {
                    let bytes = PNGEncoder.encode(
                        pixels: pixels, width: w, height: h, compression: compression)
                    let png = try PNGDecoder.decode(bytes)
                    #expect(png.width == w && png.height == h)
                    #expect(png.chunkTypes == ["IHDR", "IDAT", "IEND"])
                    #expect(png.pixels == pixels, "\(w)x\(h) \(compression)")
                    // And libpng (through Imaging) reads the same pixels.
                    let decoded = try PNG.decode(bytes)
                    #expect(decoded.image.pixels == pixels, "libpng, \(w)x\(h) \(compression)")
                }
            }
        }
    }

    @Test("fast compression makes photos smaller and falls back to stored blocks for noise")
    func compressionChoice() throws {
        let photo = GraphicsBench.synthetic(width: 160, height: 96, seed: 8)
        let stored = PNGEncoder.encode(
            pixels: photo.pixels, width: 160, height: 96,
            compression: .stored)
        let fast = PNGEncoder.encode(pixels: photo.pixels, width: 160, height: 96)
        let decoded = try PNGDecoder.decode(fast)
        #expect(decoded.blockTypes == [2])
        // Measured: 26.9 KB against 46.9 KB stored.
        #expect(Double(fast.count) < 0.65 * Double(stored.count))
        #expect(try PNGDecoder.decode(stored).blockTypes == [0])

        let noise = Images.noise(width: 64, height: 64, seed: 1)
        #expect(
            try PNGDecoder.decode(PNGEncoder.encode(pixels: noise, width: 64, height: 64))
                .blockTypes == [0])

        // One colour: runs of zero residuals, a few hundred bytes for 480 KB of pixels.
        let flat = [UInt8](repeating: 90, count: 400 * 400 * 3)
        let small = PNGEncoder.encode(pixels: flat, width: 400, height: 400)
        #expect(small.count < 2000)
        #expect(try PNGDecoder.decode(small).pixels == flat)
    }

    @Test("scanlines over 64 KiB are split into several stored blocks")
    func severalBlocks() throws {
        // 200 x 120 is 120 * 601 = 72120 bytes of scanlines: two blocks.
        let pixels = Images.noise(width: 200, height: 120, seed: 4)
        let png = try PNGDecoder.decode(
            PNGEncoder.encode(pixels: pixels, width: 200, height: 120, compression: .stored))
        #expect(png.blockTypes == [0, 0])
        #expect(png.pixels == pixels)
    }

    @Test("Huffman code lengths respect the limit and form a complete prefix code")
    func huffmanLengths() {
        var random = SplitMix(state: 12)
        // Fibonacci-like frequencies force long codes without a limit.
        var fibonacci = [1, 1]
        while fibonacci.count < 30 {
            fibonacci.append(fibonacci[fibonacci.count - 1] + fibonacci[fibonacci.count - 2])
        }
        let cases: [[Int]] = [
            fibonacci, [5, 0, 0], [0, 0, 7, 0], [1, 1],
            (0..<286).map { _ in Int(random.next() % 1000) },
        ]
        for frequencies in cases {
            let lengths = HuffmanCode.lengths(frequencies: frequencies, limit: 15)
            #expect(lengths.max() ?? 0 <= 15)
            #expect(lengths.filter { $0 > 0 }.count >= 2)
            for (s, f) in frequencies.enumerated() where f > 0 { #expect(lengths[s] > 0) }
            // Kraft sum exactly 1: a complete code.
            let kraft = lengths.filter { $0 > 0 }.map { 1.0 / Double(1 << $0) }.reduce(0, +)
            #expect(kraft == 1.0)
        }
        #expect(HuffmanCode.unlimited(fibonacci).max() ?? 0 > 15)
    }

    @Test("the test decoder refuses a file with one byte changed")
    func corruptionDetected() {
        var bytes = PNGEncoder.encode(
            pixels: Images.noise(width: 4, height: 4, seed: 1),
            width: 4, height: 4)
        bytes[bytes.count / 2] ^= 0x01
        #expect(throws: PNGDecodeError.self) { try PNGDecoder.decode(bytes) }
    }

    @Test("zero-size images give empty output")
    func zeroSize() {
        #expect(PNGEncoder.encode(pixels: [], width: 0, height: 3).isEmpty)
        #expect(PNGEncoder.encode(pixels: [], width: 3, height: 0).isEmpty)
    }
}

@Suite("iTerm2 inline image")
struct ITerm2ImageTests {
    @Test("the sequence is OSC 1337 File= with the PNG size, cells, base64 PNG and BEL")
    func payload() throws {
        let pixels = Images.noise(width: 30, height: 18, seed: 5)
        let bytes = ITerm2Image.sequence(
            pixels: pixels, width: 30, height: 18, columns: 15, rows: 4)
        let png = PNGEncoder.encode(pixels: pixels, width: 30, height: 18)
        let prefix = Array(
            "\u{1B}]1337;File=inline=1;size=\(png.count);width=15;height=4;preserveAspectRatio=1:"
                .utf8)
        #expect(Array(bytes.prefix(prefix.count)) == prefix)
        #expect(bytes.last == 0x07)
        let body = Array(bytes[prefix.count..<(bytes.count - 1)])
        // Nothing that could end the OSC early: only base64 digits.
        #expect(!body.contains(0x07) && !body.contains(0x1B))
        let decoded = try #require(TestBase64.decode(body))
        #expect(decoded.count == png.count)
        let image = try PNGDecoder.decode(decoded)
        #expect(image.width == 30 && image.height == 18 && image.pixels == pixels)
    }

    @Test("zero-size images give empty output")
    func zeroSize() {
        #expect(ITerm2Image.sequence(pixels: [], width: 0, height: 0, columns: 4, rows: 2).isEmpty)
    }
}
