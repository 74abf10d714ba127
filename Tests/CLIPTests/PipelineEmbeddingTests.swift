import Foundation
import Imaging
import PicseekCore
import Tensor
import Testing

@testable import CLIP

@Suite("Image pipeline into the model")
struct PipelineEmbeddingTests {
    @Test(
        "a JPEG file through ImagePipeline embeds like the reference processor's pixels",
        arguments: Fixture.names)
    func jpegMatchesReference(name: String) throws {
        let fixture = try Fixture(name)
        let model = try ClipModel(directory: fixture.directory)
        let path = try #require(fixture.jpegPath)
        let reference = try #require(fixture.jpegEmbedding)
        for exact in [true, false] {
            let photo = try ImagePipeline(exact: exact).process(
                fileAt: path, spec: model.preprocess)
            #expect(photo.input.count == 3 * model.preprocess.size * model.preprocess.size)
            let e = try model.embedImages([photo.input])[0]
            let d = maxAbsDiff(e, reference)
            #expect(cosine(e, reference) > 0.9999, "exact \(exact): maxdiff \(d)")
            #expect(d < 1e-3, "exact \(exact): maxdiff \(d)")
        }
    }

    @Test(
        "a bfloat16 image tower is in use when asked for: near the reference pixels' vectors, not equal to float32",
        .enabled(if: Kernels.bf16Supported, "this CPU has no AVX512_BF16"), arguments: Fixture.names
    )
    func bfloat16Tower(name: String) throws {
        let fixture = try Fixture(name)
        let fp32 = try ClipModel(directory: fixture.directory)
        let bf16 = try ClipModel(directory: fixture.directory, imagePrecision: .bfloat16)
        #expect(fp32.vision.precision == .float32 && bf16.vision.precision == .bfloat16)
        let pixels = fixture.images.map(\.pixels)
        let a = try fp32.embedImages(pixels), b = try bf16.embedImages(pixels)
        for (i, (x, y)) in zip(a, b).enumerated() {
            #expect(maxAbsDiff(x, y) > 0, "image \(i): bf16 gave exactly the float32 vector")
            #expect(cosine(y, fixture.images[i].embedding) > 0.999, "image \(i)")
        }
        // Text stays float32.
        #expect(try fp32.embedText("海边的日落") == (try bf16.embedText("海边的日落")))
    }

    @Test(
        "an int8 image tower is in use when asked for: cosine to the reference vectors >= 0.999",
        .enabled(if: Kernels.int8Supported, "this CPU has no AVX-512 VNNI"),
        arguments: Fixture.names
    )
    func int8Tower(name: String) throws {
        let fixture = try Fixture(name)
        let fp32 = try ClipModel(directory: fixture.directory)
        let int8 = try ClipModel(directory: fixture.directory, imagePrecision: .int8)
        #expect(int8.vision.precision == .int8)
        let pixels = fixture.images.map(\.pixels)
        let a = try fp32.embedImages(pixels), b = try int8.embedImages(pixels)
        for (i, (x, y)) in zip(a, b).enumerated() {
            #expect(maxAbsDiff(x, y) > 0, "image \(i): int8 gave exactly the float32 vector")
            let c = cosine(y, fixture.images[i].embedding)
            #expect(c >= 0.999, "\(name) image \(i): cosine \(c)")
        }
        // One at a time and batched give the same vectors (rows are quantised one by one).
        let single = try int8.embedImages([pixels[0]])[0]
        #expect(maxAbsDiff(single, b[0]) <= 1e-5)
        // Text stays float32.
        #expect(try fp32.embedText("海边的日落") == (try int8.embedText("海边的日落")))
    }
}
