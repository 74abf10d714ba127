import Foundation
import PicseekCore
import Testing

@testable import Imaging

@Suite("Image pipeline")
struct PipelineTests {
    typealias T = TestSupport
    let spec = PreprocessSpec(
        size: 32, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)

    @Test("formats are recognised by their bytes, not the file name")
    func sniffing() throws {
        let jpeg = try JPEG.encode(T.gradient(width: 40, height: 30))
        let png = T.png(T.gradient(width: 40, height: 30))
        let dir = FileManager.default.temporaryDirectory
        let a = dir.appendingPathComponent("picseek-really-a-jpeg-\(getpid()).png")
        let b = dir.appendingPathComponent("picseek-really-a-png-\(getpid()).jpg")
        try Data(jpeg).write(to: a)
        try Data(png).write(to: b)
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        let p = ImagePipeline()
        #expect(try p.process(fileAt: a.path, spec: spec).metadata.width == 40)
        #expect(
            try p.process(fileAt: b.path, spec: spec).thumbnail == T.gradient(width: 40, height: 30)
        )
        #expect(ImageFormat.sniff(jpeg) == .jpeg && ImageFormat.sniff(png) == .png)
    }

    @Test("the model input has 3*size*size planar values and the thumbnail is capped")
    func shapes() throws {
        let jpeg = try JPEG.encode(T.gradient(width: 600, height: 300))
        let photo = try ImagePipeline(thumbnailSide: 100).process(data: jpeg, spec: spec)
        #expect(photo.input.count == 3 * 32 * 32)
        #expect(photo.thumbnail.width == 100 && photo.thumbnail.height == 50)
        #expect(photo.metadata == PhotoMetadata(width: 600, height: 300))
        // A left-to-right red ramp: the first plane increases along a row.
        #expect(photo.input[31] > photo.input[0])
    }

    @Test("greyscale and progressive JPEGs decode to RGB")
    func greyAndProgressive() throws {
        var grey: [UInt8] = []
        for y in 0..<20 { for x in 0..<30 { grey.append(UInt8((x * 8 + y) % 256)) } }
        let g = try JPEG.decode(
            try JPEG.encode(pixels: grey, width: 30, height: 20, components: 1, quality: 95))
        #expect(g.info.colorSpace == .gray)
        var allGrey = true
        for i in stride(from: 0, to: g.image.pixels.count, by: 3) {
            let p = g.image.pixels
            if p[i] != p[i + 1] || p[i] != p[i + 2] { allGrey = false }
        }
        #expect(allGrey)
        let image = T.gradient(width: 64, height: 64)
        let progressive = try JPEG.decode(try JPEG.encode(image, quality: 95, progressive: true))
        let baseline = try JPEG.decode(try JPEG.encode(image, quality: 95))
        #expect(progressive.info.isProgressive && !baseline.info.isProgressive)
        let diff =
            zip(progressive.image.pixels, baseline.image.pixels).map { abs(Int($0) - Int($1)) }
            .max() ?? 0
        #expect(diff <= 6)
    }

    @Test(
        "Adobe CMYK and YCCK JPEGs convert to RGB like PIL (inverted samples)",
        arguments: [false, true])
    func cmyk(ycck: Bool) throws {
        // Inverted CMYK (Adobe): stored = 255 - ink. Ink c=0, m=255, y=255, k=0 is red.
        var samples: [UInt8] = []
        for _ in 0..<(16 * 16) { samples += [255, 0, 0, 255] }
        let data = try JPEG.encodeCMYK(samples, width: 16, height: 16, quality: 98, ycck: ycck)
        let decoded = try JPEG.decode(data)
        #expect(decoded.info.colorSpace == (ycck ? .ycck : .cmyk))
        #expect(decoded.info.hasAdobeMarker)
        let px = Array(decoded.image.pixels[(8 * 16 + 8) * 3..<(8 * 16 + 8) * 3 + 3])
        #expect(px[0] > 245 && px[1] < 10 && px[2] < 10, "got \(px)")
    }

    @Test("EXIF orientation rotates the model input and the thumbnail before resizing")
    func orientation() throws {
        let jpeg = try JPEG.encode(T.gradient(width: 80, height: 40), quality: 95)
        let rotated = T.withEXIF(jpeg, tiff: T.tiff([T.short(0x0112, 6)]))
        let photo = try ImagePipeline().process(data: rotated, spec: spec)
        #expect(
            photo.metadata.width == 40 && photo.metadata.height == 80
                && photo.metadata.orientation == 6)
        #expect(photo.thumbnail.width == 40 && photo.thumbnail.height == 80)
    }

    @Test("the pixel cap is checked from the header, for JPEG and PNG")
    func pixelCap() throws {
        let small = ImagePipeline(maxPixels: 1000)
        let jpeg = try JPEG.encode(T.gradient(width: 50, height: 40))
        #expect(throws: ImageError.tooLarge(path: nil, width: 50, height: 40, limit: 1000)) {
            try small.process(data: jpeg, spec: spec)
        }
        #expect(throws: ImageError.tooLarge(path: nil, width: 50, height: 40, limit: 1000)) {
            try small.thumbnail(data: T.png(T.gradient(width: 50, height: 40)))
        }
    }

    @Test("a 16-bit-quantisation-table JPEG decodes")
    func qtable16() throws {
        let data = try T.fixture("parity/qtable16.jpg")
        let dqt = try #require(T.markerOffset(data, 0xDB))
        #expect(data[dqt + 4] >> 4 == 1) // Pq = 1: 16-bit table
        let (thumb, _) = try ImagePipeline().thumbnail(data: data)
        #expect(thumb.width == 200 && thumb.height == 150)
    }

    @Test("error descriptions name the path and escape control characters")
    func errorText() {
        let e = ImageError.truncated(path: nil, format: "jpeg", message: "premature end").at(
            path: "a\u{1b}[2J.jpg")
        #expect(e.description == "a\\e[2J.jpg: truncated jpeg: premature end")
        #expect(ImageError.empty(path: "x.png").description == "x.png: empty file")
    }
}
