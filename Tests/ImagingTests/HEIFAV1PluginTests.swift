import Foundation
import PicseekCore
import Testing

@testable import Imaging

/// AVIF's AV1 pictures are decoded by libdav1d through picseek's libheif decoder plugin, which
/// hands the stored planes to picseek's conversion; libheif 1.15's own AV1 plugins give them
/// back only after a trip through RGB into BT.601 full range.
@Suite("AV1 through picseek's plugin gives libavif's pixels in every profile")
struct HEIFAV1PluginTests {
    static func avifFiles() throws -> [String] {
        try TestSupport.Manifest.load("heif").images.map(\.file).filter { $0.hasSuffix(".avif") }
    }

    static func reference(_ file: String) throws -> RGBImage {
        try PNG.decode(try TestSupport.fixture("heif/" + file + ".ref.png")).image
    }

    static func worst(_ a: RGBImage, _ b: RGBImage) -> Int {
        zip(a.pixels, b.pixels).reduce(0) { max($0, abs(Int($1.0) - Int($1.1))) }
    }

    /// `data` with every `colr` box renamed: the colour profile then comes from the AV1
    /// sequence header.
    static func withoutColr(_ data: [UInt8]) -> [UInt8] {
        var out = data
        let tag = Array("colr".utf8)
        for i in 0..<max(0, out.count - 3) where Array(out[i..<i + 4]) == tag {
            out[i] = UInt8(ascii: "x")
        }
        return out
    }

    @Test("AVIF pictures, grid tiles included, go through the plugin by default")
    func pluginInUse() throws {
        let before = HEIF.av1PluginPictures
        let grid = try HEIF.decode(try TestSupport.fixture("heif/avif-grid.avif")).image
        #expect(grid.width == 160 && grid.height == 120)
        // The grid is 3x2 tiles; other tests may decode at the same time, never fewer.
        #expect(HEIF.av1PluginPictures - before >= 6)
    }

    @Test("every committed AVIF is bit-exact through the plugin; libheif's own misses some")
    func againstLibheifPlugin() throws {
        var missed: [String] = []
        for file in try Self.avifFiles() {
            let data = try TestSupport.fixture("heif/" + file)
            let ref = try Self.reference(file)
            let ours = try HEIF.decode(data).image
            #expect(ours.width == ref.width && ours.height == ref.height, "\(file)")
            #expect(ours.pixels == ref.pixels, "\(file): not bit-exact through the plugin")
            guard let theirs = try? HEIF.decode(data, av1Decoder: .libheif).image,
                theirs.width == ref.width && theirs.height == ref.height,
                Self.worst(theirs, ref) <= 1
            else {
                missed.append(file)
                continue
            }
        }
        // The profiles libheif 1.15 converts through RGB (BT.601 full range survives the trip),
        // the deeper pictures, which it converts before cutting them to 8 bits (and cannot
        // mirror at all), turned or mirrored pictures with halved chroma on an axis of odd
        // length or 4:2:2 (libheif transforms the planes before converting; libavif converts,
        // then Pillow turns the picture), and a `clap`, which libheif applies and Pillow not.
        #expect(
            missed.sorted() == [
                "avif-10bit-420.avif", "avif-10bit-odd-size-exif-5.avif", "avif-12bit-444.avif",
                "avif-422-irot.avif", "avif-444-limited.avif", "avif-bt2020.avif",
                "avif-bt709-limited.avif", "avif-clap-irot.avif", "avif-limited-range.avif",
                "avif-odd-size-exif-2.avif", "avif-odd-size-exif-4.avif",
                "avif-odd-size-exif-5.avif", "avif-odd-size-exif-7.avif", "avif-odd-size-irot.avif",
            ], "\(missed)")
    }

    @Test("without a colr box the AV1 sequence header's matrix and range are used")
    func profileFromSequenceHeader() throws {
        let data = try TestSupport.fixture("heif/avif-limited-range.avif")
        let stripped = Self.withoutColr(data)
        #expect(stripped != data)
        #expect(try HEIF.info(stripped).fullRange == nil)
        // libavif reads the sequence header too: limited range, so the same pixels.
        let ours = try HEIF.decode(stripped).image
        #expect(ours.pixels == (try Self.reference("avif-limited-range.avif")).pixels)
    }

    @Test("a coded picture above the pixel cap is refused even when its ispe claims less")
    func streamAboveCap() throws {
        // avif-plain is 96x64 (6144 pixels); its ispe now says 8x8, under the cap of 1000.
        let good = try TestSupport.fixture("heif/avif-plain.avif")
        let lying = HostileFilesTests.patchBoxes(
            good, "ispe", at: 4, with: HostileFilesTests.be32(8) + HostileFilesTests.be32(8))
        #expect(lying != good)
        do {
            _ = try HEIF.decode(lying, maxPixels: 1000)
            Issue.record("a 96x64 picture passed a cap of 1000 pixels")
        } catch {
            #expect(error.description.contains("no picture"), "\(error)")
        }
        // The same file under a cap that admits the stream decodes.
        #expect(try HEIF.decode(lying, maxPixels: 10_000).image.width == 96)
    }

    @Test("a grid canvas above the cap is refused from its grid data, whatever its ispe says")
    func gridCanvasAboveCap() throws {
        // avif-grid's grid data (in idat: version, flags, rows, columns, 16-bit sides) now
        // declares 20000x20000; libheif 1.15 would allocate that canvas (1.2 GB).
        let good = try TestSupport.fixture("heif/avif-grid.avif")
        let at = try HostileFilesTests.boxOffset(good, "idat")
        #expect(Array(good[at + 8..<at + 12]) == [0, 160, 0, 120])
        var huge = good
        huge.replaceSubrange(at + 8..<at + 12, with: [0x4E, 0x20, 0x4E, 0x20])
        do {
            _ = try HEIF.decode(huge)
            Issue.record("a 20000x20000 canvas passed a cap of 100 megapixels")
        } catch {
            #expect(error.description.contains("grid declares 20000x20000"), "\(error)")
        }
        // The good grid passes a cap of exactly its own size.
        #expect(try HEIF.decode(good, maxPixels: 19_200).image.width == 160)
    }

    @Test("a picture whose layout is not its av1C's is left to libheif's conversion")
    func layoutMismatch() throws {
        // avif-plain is 4:2:0; its av1C now says 4:4:4 (the subsampling flags cleared).
        let good = try TestSupport.fixture("heif/avif-plain.avif")
        var claims444 = good
        let at = try HostileFilesTests.boxOffset(good, "av1C")
        claims444[at + 6] &= ~0x0C
        #expect(claims444 != good)
        let decoded = try HEIF.decode(claims444).image
        #expect(decoded.width == 96 && decoded.height == 64)
        // Chroma repeated instead of interpolated: close to libavif, not exact.
        let worst = Self.worst(decoded, try Self.reference("avif-plain.avif"))
        #expect(worst > 0 && worst < 128, "\(worst)")
    }
}
