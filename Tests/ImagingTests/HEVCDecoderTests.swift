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

    static func outcome(_ data: [UInt8], _ decoder: HEIF.HEVCDecoder) -> Result<RGBImage, HEIFError>
    {
        Result { () throws(HEIFError) in try HEIF.decode(data, hevcDecoder: decoder).image }
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
