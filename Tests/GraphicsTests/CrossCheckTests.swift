import Benchmarks
import Foundation
import Testing

@testable import Graphics

@Suite("test decoders")
struct TestDecoderTests {
    @Test("the test inflate reads zlib streams with fixed and dynamic Huffman blocks")
    func inflateKnownStreams() throws {
        // Both made by zlib 1.2 at level 9.
        let fixed: [UInt8] = [120, 218, 203, 72, 205, 201, 201, 87, 200, 64, 39, 1, 104, 3, 8, 177]
        let a = try Inflate.inflate(fixed, from: 2)
        #expect(a.data == Array("hello hello hello hello".utf8))
        #expect(a.blockTypes == [1])
        #expect(a.end == fixed.count - 4)

        let dynamic: [UInt8] = [
            0x78, 0xDA, 0xED, 0xCD, 0xDB, 0x0D, 0xC0, 0x40, 0x08, 0xC4, 0xC0, 0x5A, 0x7D, 0x1C,
            0x8F, 0xFE, 0x2B, 0x88, 0x91, 0x52, 0x45, 0x94, 0xDF, 0x11, 0x78, 0x99, 0xE4, 0xD0,
            0x27, 0x82, 0xC8, 0x0B, 0x95, 0x51, 0xF4, 0x6D, 0x58, 0x47, 0x1F, 0xF4, 0x44, 0x6F,
            0xF4, 0x61, 0xEF, 0xD1, 0x03, 0xBD, 0xD0, 0x5B, 0x78, 0x3B, 0xE8, 0xE9, 0x73, 0x25,
            0xBA, 0x41, 0x9D, 0xED, 0x33, 0xDB, 0xD7, 0x83, 0xDE, 0xFE, 0xBF, 0xFB, 0xE9, 0xDD,
            0x07, 0x2B, 0x8A, 0xE9, 0x99,
        ]
        let letters = Array("abcdefgh".utf8)
        var expected: [UInt8] = []
        for i in 0..<600 {
            let index: Int = i % 5 != 0 ? (i * i * 7 + i / 3) % 8 : 0
            expected.append(letters[index])
        }
        let b = try Inflate.inflate(dynamic, from: 2)
        #expect(b.data == expected)
        #expect(b.blockTypes == [2])
        #expect(PNGDecoder.adler32(b.data) == PNGDecoder.bigEndian(dynamic, dynamic.count - 4))
    }

    @Test("the test sixel decoder refuses painting outside the raster")
    func sixelDecoderStrict() {
        let beyond = Array("\u{1B}P0;1;0q\"1;1;2;1#0;2;0;0;0#0@@@\u{1B}\\".utf8)
        #expect(throws: SixelDecodeError.self) { try SixelDecoder.decode(beyond) }
        let below = Array("\u{1B}P0;1;0q\"1;1;2;1#0;2;0;0;0#0AA\u{1B}\\".utf8)
        #expect(throws: SixelDecodeError.self) { try SixelDecoder.decode(below) }
        let fine = Array("\u{1B}P0;1;0q\"1;1;2;1#0;2;100;0;50#0@@\u{1B}\\".utf8)
        #expect((try? SixelDecoder.decode(fine))?.pixels == [255, 0, 128, 255, 0, 128])
    }
}

/// libsixel's `sixel2png` (Debian package `libsixel-bin`), when installed.
private let sixel2png = "/usr/bin/sixel2png"

@Suite("libsixel cross-check")
struct LibsixelCrossCheckTests {
    @Test(
        "libsixel decodes the encoder's output to the same pixels as the test decoder",
        .enabled(if: FileManager.default.isExecutableFile(atPath: sixel2png)))
    func libsixelAgrees() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("graphics-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let cases: [(pixels: [UInt8], width: Int, height: Int, colors: Int)] = [
            (GraphicsBench.synthetic(width: 161, height: 97, seed: 5).pixels, 161, 97, 256),
            (Images.fewColours(width: 37, height: 13, count: 40, seed: 2), 37, 13, 256),
            (Images.noise(width: 50, height: 20, seed: 3), 50, 20, 16),
        ]
        for (n, c) in cases.enumerated() {
            let sixel = Sixel.encode(
                pixels: c.pixels, width: c.width, height: c.height,
                colors: c.colors)
            let input = directory.appendingPathComponent("\(n).six")
            let output = directory.appendingPathComponent("\(n).png")
            try Data(sixel).write(to: input)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sixel2png)
            process.arguments = ["-i", input.path, "-o", output.path]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let png = try PNGDecoder.decode([UInt8](Data(contentsOf: output)), allowOther: true)
            let ours = try SixelDecoder.decode(sixel)
            #expect(png.width == c.width && png.height == c.height)
            #expect(png.pixels == ours.pixels, "case \(n): libsixel and the test decoder differ")
        }
    }
}
