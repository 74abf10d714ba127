import Foundation
import PicseekCore
import Testing

@testable import Imaging

/// Decodes the committed HEIC and AVIF fixtures and compares them with
/// `exif_transpose(open(f)).convert("RGB")` under pillow-heif (Pillow's own plugin for
/// AVIF); see Fixtures/heif/README.md.
@Suite("HEIC and AVIF decode like Pillow with pillow-heif")
struct HEIFParityTests {
    typealias Manifest = TestSupport.Manifest

    static func manifest() throws -> Manifest { try Manifest.load("heif") }

    static func files() throws -> [String] { try manifest().images.map(\.file) }

    static func maxDeviation(_ a: RGBImage, _ b: RGBImage) -> Int {
        var worst = 0
        for (x, y) in zip(a.pixels, b.pixels) { worst = max(worst, abs(Int(x) - Int(y))) }
        return worst
    }

    @Test("every variant the task lists has a fixture")
    func coverage() throws {
        let files = try Self.files()
        for needle in [
            "heic-plain", "heic-grid", "heic-10bit", "heic-alpha", "heic-444", "heic-irot-exif-6",
            "heic-exif-6-no-irot", "heic-two-images", "avif-plain", "avif-alpha", "avif-444",
            "avif-exif-6", "avif-limited-range", "avif-444-limited", "avif-bt709-limited",
            "avif-odd-size", "avif-grid", "avif-monochrome", "avif-10bit-420", "avif-12bit-444",
            // Transforms on pictures whose chroma they would split, deeper pictures, matrices.
            "heic-odd-size-exif-2", "heic-odd-size-exif-5", "heic-odd-size-exif-6",
            "heic-odd-size-exif-8", "heic-422-irot", "heic-422-odd-width-exif-3",
            "heic-clap-odd-offset", "heic-10bit-odd-size-irot", "heic-10bit-exif-2",
            "heic-10bit-444", "heic-10bit-422", "heic-bt2020", "heic-overlay", "heic-icc-grid",
            "avif-odd-size-exif-2",
            "avif-odd-size-exif-7", "avif-10bit-odd-size-exif-5", "avif-clap-irot", "avif-bt2020",
        ] {
            #expect(files.contains { $0.contains(needle) }, "no fixture for \(needle)")
        }
    }

    @Test("exact decode is within 1/255 of the reference, upright", arguments: try files())
    func exactParity(file: String) throws {
        let entry = try #require(try Self.manifest().images.first { $0.file == file })
        let data = try TestSupport.fixture("heif/" + file)
        let ours = try ImagePipeline(exact: true).decode(data, spec: nil).image
        let ref = try PNG.decode(try TestSupport.fixture("heif/" + entry.reference)).image
        #expect(ours.width == ref.width && ours.height == ref.height)
        try #require(ours.pixels.count == ref.pixels.count)
        let worst = Self.maxDeviation(ours, ref)
        #expect(worst <= 1, "\(file): max deviation \(worst)/255")
        print("exact decode deviation \(file): max \(worst)/255")
    }

    @Test(
        "every fixture is bit-exact: AVIF with Pillow's libavif, HEIC with pillow-heif's libheif")
    func bitExact() throws {
        for entry in try Self.manifest().images {
            let ours = try HEIF.decode(try TestSupport.fixture("heif/" + entry.file)).image
            let ref = try PNG.decode(try TestSupport.fixture("heif/" + entry.reference)).image
            #expect(ours.pixels == ref.pixels, "\(entry.file) differs from the reference")
        }
    }

    @Test(
        "AVIF in every profile and depth (limited range, BT.709, 10 and 12 bits, grid) is bit-exact",
        arguments: [
            "avif-limited-range.avif", "avif-444-limited.avif", "avif-bt709-limited.avif",
            "avif-grid.avif", "avif-10bit-420.avif", "avif-12bit-444.avif",
        ])
    func avifProfiles(file: String) throws {
        // libheif 1.15's own AV1 plugins give these planes back only after a trip through RGB
        // into BT.601 full range (3 to 9/255 away), and deeper ones converted before they are
        // cut to 8 bits (up to 69/255); picseek's plugin hands over the stored ones, cut to 8
        // bits and converted here with the file's own matrix and range, as libavif does.
        let ours = try ImagePipeline(exact: true).decode(
            try TestSupport.fixture("heif/" + file), spec: nil
        ).image
        let ref = try PNG.decode(try TestSupport.fixture("heif/" + file + ".ref.png")).image
        try #require(ours.width == ref.width && ours.height == ref.height)
        let worst = Self.maxDeviation(ours, ref)
        #expect(worst == 0, "\(file): max deviation \(worst)/255")
    }

    @Test("fast mode decodes HEIF exactly as exact mode does (bound 0: no scaled decode)")
    func fastModeBound() throws {
        for file in try Self.files() {
            let data = try TestSupport.fixture("heif/" + file)
            let fast = try ImagePipeline(exact: false).decode(data, spec: nil).image
            let exact = try ImagePipeline(exact: true).decode(data, spec: nil).image
            #expect(fast.pixels == exact.pixels, "\(file)")
        }
    }

    @Test(
        "metadata: upright size, orientation 1, camera and date from the Exif item",
        arguments: try files())
    func metadata(file: String) throws {
        let entry = try #require(try Self.manifest().images.first { $0.file == file })
        let (thumb, meta) = try ImagePipeline().thumbnail(
            data: try TestSupport.fixture("heif/" + file))
        #expect(meta.width == entry.width && meta.height == entry.height)
        #expect(meta.orientation == entry.orientation)
        #expect(meta.camera == entry.camera)
        #expect(meta.takenAt == entry.takenAt)
        #expect((thumb.width >= thumb.height) == (entry.width >= entry.height))
    }

    @Test("an EXIF orientation of 6 is not applied again: irot turns the image, EXIF does not")
    func orientationNotAppliedTwice() throws {
        let rotated = try HEIF.decode(try TestSupport.fixture("heif/heic-irot-exif-6.heic"))
        // Stored 96x64 with irot: libheif turns it upright; the EXIF still says 6.
        #expect(rotated.image.width == 64 && rotated.image.height == 96)
        #expect(EXIFData.parse(try #require(rotated.exif)).orientation == 6)
        let tagOnly = try TestSupport.fixture("heif/heic-exif-6-no-irot.heic")
        let decoded = try HEIF.decode(tagOnly)
        #expect(EXIFData.parse(try #require(decoded.exif)).orientation == 6)
        let photo = try ImagePipeline().decode(tagOnly, spec: nil)
        #expect(photo.image.width == 96 && photo.image.height == 64)
        #expect(photo.metadata.orientation == 1)
    }

    @Test("header facts: grid size, bit depth, alpha, AVIF, image count, nclx")
    func info() throws {
        let grid = try HEIF.info(try TestSupport.fixture("heif/heic-grid.heic"))
        #expect(grid.width == 160 && grid.height == 120 && !grid.isAVIF)
        #expect(try HEIF.info(try TestSupport.fixture("heif/heic-10bit.heic")).bitDepth == 10)
        let alpha = try HEIF.info(try TestSupport.fixture("heif/avif-alpha.avif"))
        #expect(alpha.hasAlpha && alpha.isAVIF && alpha.bitDepth == 8)
        #expect(alpha.matrixCoefficients == 6 && alpha.fullRange == true)
        #expect(try HEIF.info(try TestSupport.fixture("heif/heic-two-images.heic")).images == 2)
    }

    @Test("the pixel cap is checked from the header before decoding")
    func cap() throws {
        let data = try TestSupport.fixture("heif/heic-grid.heic")
        #expect(throws: HEIFError.tooLarge(width: 160, height: 120, limit: 19_199)) {
            try HEIF.decode(data, maxPixels: 19_199)
        }
        #expect(throws: ImageError.tooLarge(path: nil, width: 160, height: 120, limit: 100)) {
            try ImagePipeline(maxPixels: 100).thumbnail(data: data)
        }
        #expect(try HEIF.decode(data, maxPixels: 19_200).image.width == 160)
    }

    @Test("a small grid over huge tiles is refused by counting the tiles, before decoding")
    func gridTileCap() throws {
        let files = try HostileFilesTests.heifFiles()
        let bomb = try #require(files.first { $0.0 == "heic-grid-huge-tiles.heic" }?.1)
        do {
            _ = try HEIF.decode(bomb)
            Issue.record("the huge tiles were decoded")
        } catch {
            #expect("\(error)".contains("grid tiles add up to 1536000000 pixels"))
        }
        // The real grid: six 64x64 tiles (24576 pixels) under a 160x120 image.
        let grid = try TestSupport.fixture("heif/heic-grid.heic")
        #expect(try HEIF.decode(grid, maxPixels: 19_200).image.width == 160)
    }

    @Test("decodes on several threads at once give the same pixels as one at a time")
    func concurrentDecodes() throws {
        let names = ["heic-grid.heic", "avif-alpha.avif", "heic-10bit.heic", "heic-plain.heic"]
        let inputs = try names.map { try TestSupport.fixture("heif/" + $0) }
        let expected = try inputs.map { try HEIF.decode($0).image.pixels }
        let results = Results(count: 16)
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            results.set(i, try? HEIF.decode(inputs[i % inputs.count]).image.pixels)
        }
        for i in 0..<16 { #expect(results.get(i) == expected[i % inputs.count], "run \(i)") }
    }

    final class Results: @unchecked Sendable {
        private var values: [[UInt8]?]
        private let lock = NSLock()
        init(count: Int) { values = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ v: [UInt8]?) { lock.withLock { values[i] = v } }
        func get(_ i: Int) -> [UInt8]? { lock.withLock { values[i] } }
    }

    @Test("the text pass reads HEIC and AVIF upright, at their own size")
    func textImage() throws {
        let rotated = try ImagePipeline().textImage(
            data: try TestSupport.fixture("heif/heic-irot-exif-6.heic"))
        #expect(rotated.image.width == 64 && rotated.image.height == 96 && rotated.scale == 1)
        let avif = try ImagePipeline().textImage(
            data: try TestSupport.fixture("heif/avif-plain.avif"))
        #expect(avif.image.width == 96 && avif.image.height == 64)
        #expect(avif.image.pixels.count == 96 * 64)
    }

    @Test("HEIC and AVIF are recognised by their ftyp brands, not their names")
    func sniffing() throws {
        let heic = try TestSupport.fixture("heif/heic-plain.heic")
        let avif = try TestSupport.fixture("heif/avif-plain.avif")
        #expect(ImageFormat.sniff(heic) == .heif && ImageFormat.sniff(avif) == .avif)
        #expect(ImageFormat.heif.isSupported && ImageFormat.avif.isSupported)
        func ftyp(_ major: String, _ compatible: [String]) -> [UInt8] {
            let brands = compatible.flatMap { Array($0.utf8) }
            let size = 16 + brands.count
            return [0, 0, 0, UInt8(size)] + Array("ftyp\(major)".utf8) + [0, 0, 0, 0] + brands
        }
        #expect(ImageFormat.sniff(ftyp("mif1", ["mif1", "avif"])) == .avif)
        #expect(ImageFormat.sniff(ftyp("mif1", ["mif1", "heic"])) == .heif)
        #expect(ImageFormat.sniff(ftyp("heix", [])) == .heif)
        #expect(ImageFormat.sniff(ftyp("isom", ["isom", "mp41"])) == nil)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "picseek-heif-sniff-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let misnamed = dir.appendingPathComponent("holiday.jpg")
        try Data(avif).write(to: misnamed)
        let spec = PreprocessSpec(
            size: 32, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
        let photo = try ImagePipeline().process(fileAt: misnamed.path, spec: spec)
        #expect(photo.metadata.width == 96 && photo.metadata.height == 64)
    }
}
