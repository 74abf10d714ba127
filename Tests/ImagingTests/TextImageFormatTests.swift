import Testing

@testable import Imaging

/// The text pass reads every format the indexer reads, upright, like the reference decode.
@Suite("text images of WebP, GIF and TIFF photos")
struct TextImageFormatTests {
    @Test(
        "WebP, GIF and TIFF give the grey image of their upright reference pixels",
        arguments: [
            "formats/webp-lossy.webp", "formats/webp-exif-orientation-6.webp",
            "formats/gif-palette.gif", "formats/tiff-orientation-6.tif",
            "formats/tiff-cmyk.tif",
        ])
    func matchesReference(_ name: String) throws {
        let pipeline = ImagePipeline()
        let photo = try pipeline.textImage(data: try TestSupport.fixture(name))
        let reference = try pipeline.textImage(data: try TestSupport.fixture(name + ".ref.png"))
        #expect(photo.image.width == reference.image.width)
        #expect(photo.image.height == reference.image.height)
        #expect(photo.scale == reference.scale)
        let differences = zip(photo.image.pixels, reference.image.pixels).map {
            abs(Int($0) - Int($1))
        }
        #expect((differences.max() ?? 255) <= 2, "\(name)")
    }
}
