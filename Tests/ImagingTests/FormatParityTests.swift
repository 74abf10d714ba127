import Foundation
import PicseekCore
import Testing

@testable import Imaging

/// Decodes the committed WebP, GIF and TIFF fixtures and compares them
/// with Pillow's `exif_transpose(open(f)).convert("RGB")`; see Fixtures/formats/README.md.
@Suite("WebP, GIF and TIFF decode like Pillow")
struct FormatParityTests {
    typealias Manifest = TestSupport.Manifest

    static func manifest() throws -> Manifest { try Manifest.load("formats") }

    static func files() throws -> [String] { try manifest().images.map(\.file) }

    @Test("every variant the issue lists has a fixture")
    func coverage() throws {
        let files = try Self.files()
        for needle in [
            "webp-lossy.", "webp-lossless.", "webp-lossy-alpha", "webp-lossless-alpha",
            "webp-animated", "webp-exif-orientation", "gif-palette", "gif-interlaced",
            "gif-transparent", "gif-animated", "gif-grey", "gif-frame-inside-screen",
            "gif-frame-outgrows-screen", "tiff-rgb8.", "tiff-grey16",
            "tiff-palette", "tiff-cmyk", "tiff-rgb8-tiled", "tiff-grey16-tiled",
            "tiff-rgb16", "tiff-two-pages", "tiff-orientation-6",
        ] {
            #expect(files.contains { $0.contains(needle) }, "no fixture for \(needle)")
        }
    }

    @Test("exact decode is within 1/255 of Pillow, upright", arguments: try files())
    func exactParity(file: String) throws {
        let entry = try #require(try Self.manifest().images.first { $0.file == file })
        let data = try TestSupport.fixture("formats/" + file)
        let ours = try ImagePipeline(exact: true).decode(data, spec: nil).image
        let ref = try PNG.decode(try TestSupport.fixture("formats/" + entry.reference)).image
        #expect(ours.width == ref.width && ours.height == ref.height)
        try #require(ours.pixels.count == ref.pixels.count)
        var maxDiff = 0
        for (a, b) in zip(ours.pixels, ref.pixels) { maxDiff = max(maxDiff, abs(Int(a) - Int(b))) }
        #expect(maxDiff <= 1, "\(file): max deviation \(maxDiff)/255")
        print("exact decode deviation \(file): max \(maxDiff)/255")
    }

    @Test("metadata gives the upright size, orientation, camera and date", arguments: try files())
    func metadata(file: String) throws {
        let entry = try #require(try Self.manifest().images.first { $0.file == file })
        let (thumb, meta) = try ImagePipeline().thumbnail(
            data: try TestSupport.fixture("formats/" + file))
        #expect(meta.width == entry.width && meta.height == entry.height)
        #expect(meta.orientation == entry.orientation)
        #expect(meta.camera == entry.camera)
        #expect(meta.takenAt == entry.takenAt)
        #expect((thumb.width >= thumb.height) == (entry.width >= entry.height))
    }

    @Test("webp header facts: alpha, lossless, animation and frame count")
    func webpInfo() throws {
        let lossy = try WebP.info(try TestSupport.fixture("formats/webp-lossy.webp"))
        #expect(lossy.width == 96 && lossy.height == 64)
        #expect(!lossy.hasAlpha && !lossy.isAnimated && !lossy.isLossless)
        let lossless = try WebP.info(try TestSupport.fixture("formats/webp-lossless-alpha.webp"))
        #expect(lossless.hasAlpha && lossless.isLossless)
        let anim = try WebP.decode(try TestSupport.fixture("formats/webp-animated.webp"))
        #expect(anim.info.isAnimated && anim.info.frames == 3)
        #expect(anim.image.width == 72 && anim.image.height == 48)
    }

    @Test("the pixel cap is checked from the webp header before decoding")
    func webpCap() throws {
        let data = try TestSupport.fixture("formats/webp-lossless.webp")
        #expect(throws: WebPError.tooLarge(width: 80, height: 60, limit: 4799)) {
            try WebP.decode(data, maxPixels: 4799)
        }
        #expect(throws: ImageError.tooLarge(path: nil, width: 80, height: 60, limit: 100)) {
            try ImagePipeline(maxPixels: 100).thumbnail(data: data)
        }
        #expect(try WebP.decode(data, maxPixels: 4800).image.width == 80)
    }

    @Test("webp is recognised by its bytes, not its name")
    func sniffing() throws {
        let data = try TestSupport.fixture("formats/webp-lossy.webp")
        #expect(ImageFormat.sniff(data) == .webp)
        #expect(ImageFormat.webp.isSupported)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "picseek-sniff-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let misnamed = dir.appendingPathComponent("holiday.jpg")
        try Data(data).write(to: misnamed)
        let spec = PreprocessSpec(
            size: 32, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
        let photo = try ImagePipeline().process(fileAt: misnamed.path, spec: spec)
        #expect(photo.metadata.width == 96 && photo.metadata.height == 64)
    }

    @Test("gif facts: transparency, interlacing, colour table; the cap is checked first")
    func gifInfo() throws {
        let transparent = try GIF.decode(try TestSupport.fixture("formats/gif-transparent.gif"))
        #expect(transparent.info.hasTransparency)
        #expect(transparent.info.colors > 0)
        let interlaced = try GIF.decode(try TestSupport.fixture("formats/gif-interlaced.gif"))
        #expect(interlaced.info.isInterlaced)
        let data = try TestSupport.fixture("formats/gif-palette.gif")
        #expect(try !GIF.decode(data).info.isInterlaced && !GIF.decode(data).info.hasTransparency)
        #expect(throws: GIFError.tooLarge(width: 96, height: 64, limit: 6143)) {
            try GIF.decode(data, maxPixels: 6143)
        }
        #expect(try GIF.decode(data, maxPixels: 6144).image.width == 96)
    }

    @Test("tiff facts: tiles, depth, pages, orientation; the cap is checked first")
    func tiffInfo() throws {
        let tiled = try TIFF.decode(try TestSupport.fixture("formats/tiff-grey16-tiled.tif"))
        #expect(
            tiled.info.isTiled && tiled.info.bitsPerSample == 16 && tiled.info.samplesPerPixel == 1)
        let pages = try TIFF.decode(try TestSupport.fixture("formats/tiff-two-pages.tif"))
        #expect(pages.info.pages == 2 && pages.image.width == 60 && pages.image.height == 40)
        // Orientation is reported, not applied, by TIFF.decode: stored 90x60.
        let rotated = try TIFF.decode(try TestSupport.fixture("formats/tiff-orientation-6.tif"))
        #expect(
            rotated.info.orientation == 6 && rotated.image.width == 90 && rotated.image.height == 60
        )
        let data = try TestSupport.fixture("formats/tiff-rgb8.tif")
        #expect(throws: TIFFError.tooLarge(width: 96, height: 64, limit: 6143)) {
            try TIFF.decode(data, maxPixels: 6143)
        }
        #expect(try TIFF.decode(data, maxPixels: 6144).image.width == 96)
    }
}
