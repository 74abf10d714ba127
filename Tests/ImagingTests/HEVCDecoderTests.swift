import Foundation
import PicseekCore
import Testing

@testable import Imaging

/// HEIC's HEVC pictures are decoded by libavcodec through picseek's libheif decoder plugin
/// (faster than Debian 12's libde265); HEVC decoding is exactly specified, so both decoders
/// must give the same pixels and the same colour description.
@Suite("HEVC through libavcodec gives libde265's pixels")
struct HEVCDecoderTests {
    /// Every committed HEIC: the parity fixtures and the fuzzer's kept inputs.
    static func heicFiles() throws -> [String] {
        let heif = try TestSupport.Manifest.load("heif").images.map(\.file).filter {
            $0.hasSuffix(".heic")
        }
        let crashers = try FileManager.default.contentsOfDirectory(
            atPath: try TestSupport.fixtures.appendingPathComponent("crashers/heif").path
        ).filter { $0.hasSuffix(".heic") }.sorted()
        return heif.map { "heif/" + $0 } + crashers.map { "crashers/heif/" + $0 }
    }

    /// `data` with every `colr` box renamed, so libheif takes the colour description from the
    /// HEVC stream's VUI, which the decoder plugin reports.
    static func withoutColr(_ data: [UInt8]) -> [UInt8] {
        var out = data
        let tag = Array("colr".utf8)
        for i in 0..<max(0, out.count - 3) where Array(out[i..<i + 4]) == tag {
            out[i] = UInt8(ascii: "x")
        }
        return out
    }

    /// The decode with libheif converting (picseek converts only libavcodec's pictures, as
    /// pillow-heif's libheif does; the decoders are compared here).
    static func outcome(_ data: [UInt8], _ decoder: HEIF.HEVCDecoder) -> Result<RGBImage, HEIFError>
    {
        Result { () throws(HEIFError) in
            try HEIF.decodeConvertedByLibheif(data, hevcDecoder: decoder).image
        }
    }

    @Test("every committed HEIC decodes to the same pixels with both decoders")
    func samePixels() throws {
        let files = try Self.heicFiles()
        #expect(files.count >= 10)
        for file in files {
            let data = try TestSupport.fixture(file)
            for (name, bytes) in [(file, data), (file + " without colr", Self.withoutColr(data))] {
                let ours = Self.outcome(bytes, .libavcodec)
                let theirs = Self.outcome(bytes, .libde265)
                switch (ours, theirs) {
                case (.success(let a), .success(let b)):
                    #expect(a.width == b.width && a.height == b.height, "\(name)")
                    #expect(a.pixels == b.pixels, "\(name): pixels differ")
                case (.failure, .failure):
                    break
                default:
                    Issue.record("\(name): libavcodec \(ours), libde265 \(theirs)")
                }
            }
        }
    }

    @Test("the colour description comes from the stream when the container has none")
    func streamColour() throws {
        // BT.709 limited range, written into the stream's VUI as well as the colr box.
        let data = try TestSupport.fixture("heif/heic-bt709-limited.heic")
        let stripped = Self.withoutColr(data)
        #expect(stripped != data)
        let withBox = try HEIF.decode(data).image
        let fromStream = try HEIF.decode(stripped).image
        // Without the plugin's colour description libheif would read BT.601 here.
        #expect(fromStream.pixels == withBox.pixels)
    }

    @Test("HEIC pictures, grid tiles included, go through libavcodec by default")
    func pluginInUse() throws {
        let before = HEIF.libavcodecPictures
        _ = try HEIF.decode(try TestSupport.fixture("heif/heic-grid.heic"))
        // The grid is 3x2 tiles; other tests may decode at the same time, never fewer.
        #expect(HEIF.libavcodecPictures - before >= 6)
    }

    /// `data` with its first `colr` nclx box saying `matrix` and `fullRange`.
    static func withNCLX(_ data: [UInt8], matrix: UInt8, fullRange: Bool) throws -> [UInt8] {
        let at = try HostileFilesTests.boxOffset(data, "colr")
        var out = data
        try #require(Array(out[at + 4..<at + 8]) == Array("nclx".utf8))
        out[at + 13] = matrix // matrix_coefficients, the low byte
        out[at + 14] = fullRange ? 0x80 : 0
        return out
    }

    @Test("the plugin's YCbCr to RGB is libheif's on random planes (within 1: full-range 4:2:0)")
    func conversionLikeLibheif() throws {
        let plain = try TestSupport.fixture("heif/heic-plain.heic") // 4:2:0, 96x64
        let bt709 = try TestSupport.fixture("heif/heic-bt709-limited.heic") // 88x56: a tail
        let cases: [(String, [UInt8])] = [
            ("BT.601 full", plain),
            ("BT.601 limited", try Self.withNCLX(plain, matrix: 6, fullRange: false)),
            ("BT.709 limited", bt709),
            ("BT.709 full", try Self.withNCLX(bt709, matrix: 1, fullRange: true)),
            ("BT.709 limited from the stream", Self.withoutColr(bt709)),
            ("4:4:4", try TestSupport.fixture("heif/heic-444.heic")),
            ("a 3x2 grid, tile by tile", try TestSupport.fixture("heif/heic-grid.heic")),
            ("71x47, cut by clap", try TestSupport.fixture("heif/heic-odd-size.heic")),
        ]
        // Full-range 4:2:0 goes through libheif 1.2x's integer conversion (what pillow-heif
        // takes, checked against it by HEIFParityTests), the rest through the float one that
        // both libheifs have.
        let integer: Set = [
            "BT.601 full", "BT.709 full", "a 3x2 grid, tile by tile", "71x47, cut by clap",
        ]
        for (name, data) in cases {
            for seed: UInt64 in [1, 2, 3] {
                let largest = HEIF.conversionDifferences(data, seed: seed)
                #expect(largest == (integer.contains(name) ? 1 : 0), "\(name), seed \(seed)")
            }
        }
    }

    @Test("the SSE2 conversion equals its plain twin on odd sizes and every chroma layout")
    func conversionTwin() throws {
        var generator = SplitMix(seed: 20_261_205)
        for (width, height) in [(17, 9), (33, 31), (1, 1), (48, 2)] {
            for (sx, sy) in [(1, 1), (1, 0), (0, 0)] {
                let cw = (width + sx) >> sx, ch = (height + sy) >> sy
                let y = (0..<width * height).map { _ in generator.byte() }
                let cb = (0..<cw * ch).map { _ in generator.byte() }
                let cr = (0..<cw * ch).map { _ in generator.byte() }
                for matrix in [1, 6, 9] {
                    for full in [true, false] {
                        let fast = HEIF.convertYCbCr(
                            y: y, cb: cb, cr: cr, width: width, height: height, sx: sx, sy: sy,
                            matrix: matrix, fullRange: full, naive: false)
                        let naive = HEIF.convertYCbCr(
                            y: y, cb: cb, cr: cr, width: width, height: height, sx: sx, sy: sy,
                            matrix: matrix, fullRange: full, naive: true)
                        #expect(fast != nil && fast == naive, "\(width)x\(height) \(sx)\(sy)")
                    }
                }
            }
        }
        // Pure grey stays grey; BT.709 against BT.601 moves a saturated colour.
        let grey = HEIF.convertYCbCr(
            y: [128], cb: [128], cr: [128], width: 1, height: 1, sx: 0, sy: 0, matrix: 6,
            fullRange: true, naive: false)
        #expect(grey == [128, 128, 128])
        let red601 = HEIF.convertYCbCr(
            y: [81], cb: [90], cr: [240], width: 1, height: 1, sx: 0, sy: 0, matrix: 6,
            fullRange: false, naive: false)
        let red709 = HEIF.convertYCbCr(
            y: [81], cb: [90], cr: [240], width: 1, height: 1, sx: 0, sy: 0, matrix: 1,
            fullRange: false, naive: false)
        #expect(red601 != red709)
        #expect(
            HEIF.convertYCbCr(
                y: [1], cb: [1], cr: [1], width: 1, height: 1, sx: 0, sy: 0, matrix: 10,
                fullRange: true, naive: false) == nil)
    }

    /// A small replayable generator for the random planes.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func byte() -> UInt8 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }

    @Test("a coded picture above the pixel cap is refused even when its ispe claims less")
    func streamAboveCap() throws {
        // heic-plain is 96x64 (6144 pixels); its ispe now says 8x8, under the cap of 1000.
        let good = try TestSupport.fixture("heif/heic-plain.heic")
        let lying = HostileFilesTests.patchBoxes(
            good, "ispe", at: 4, with: HostileFilesTests.be32(8) + HostileFilesTests.be32(8))
        #expect(lying != good)
        #expect(throws: HEIFError.self) { try HEIF.decode(lying, maxPixels: 1000) }
        do {
            _ = try HEIF.decode(lying, maxPixels: 1000)
        } catch {
            #expect(error.description.contains("no picture"), "\(error)")
        }
        // The same file under a cap that admits the stream decodes.
        #expect(try HEIF.decode(lying, maxPixels: 10_000).image.width == 96)
    }
}
