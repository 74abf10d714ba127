import Foundation
import Imaging
import PicseekCore
import Testing
@testable import CLIP

@Suite("Interim image preprocessing (PIL-style bicubic)")
struct InterimPreprocessorTests {
    @Test("a JPEG decoded and resized here embeds like the HF processor's pixels (cosine > 0.9999)",
          arguments: Fixture.names)
    func jpegMatchesReference(name: String) throws {
        let fixture = try Fixture(name)
        let model = try ClipModel(directory: fixture.directory)
        let path = try #require(fixture.jpegPath)
        let reference = try #require(fixture.jpegEmbedding)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoded = try JPEG.decode([UInt8](data))
        let pixels = InterimPreprocessor.tensor(from: decoded.image, spec: model.preprocess)
        #expect(pixels.count == 3 * model.preprocess.size * model.preprocess.size)
        let e = try model.embedImages([pixels])[0]
        let d = maxAbsDiff(e, reference)
        #expect(cosine(e, reference) > 0.9999, "maxdiff \(d)")
        #expect(d < 1e-3, "maxdiff \(d)")
    }

    @Test("a constant image stays constant through resize and normalises to (v/255 - mean)/std")
    func constantImage() {
        let image = RGBImage(width: 37, height: 23, pixels: [UInt8](repeating: 200, count: 37 * 23 * 3))
        let spec = PreprocessSpec(size: 16, mode: .squash, mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.5])
        let t = InterimPreprocessor.tensor(from: image, spec: spec)
        for c in 0..<3 {
            let expected = (Float(200) / 255 - spec.mean[c]) / spec.std[c]
            #expect(t[c * 256..<(c + 1) * 256].allSatisfy { abs($0 - expected) < 1e-6 })
        }
    }

    @Test("shortest-side mode crops the centre: a left/right split image keeps its middle")
    func centreCrop() {
        // 40x20: left half black, right half white; crop to 20x20 after resizing to 40x20.
        var pixels = [UInt8](repeating: 0, count: 40 * 20 * 3)
        for y in 0..<20 { for x in 20..<40 { for c in 0..<3 { pixels[(y * 40 + x) * 3 + c] = 255 } } }
        let spec = PreprocessSpec(size: 20, mode: .shortestSideCenterCrop, mean: [0, 0, 0], std: [1, 1, 1])
        let t = InterimPreprocessor.tensor(from: RGBImage(width: 40, height: 20, pixels: pixels), spec: spec)
        #expect(t[0] == 0)              // left edge of the crop is black (column 10 of the source)
        #expect(t[19] == 1)             // right edge is white (column 29)
    }
}
