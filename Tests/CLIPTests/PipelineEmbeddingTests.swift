import Foundation
import Imaging
import PicseekCore
import Testing
@testable import CLIP

@Suite("Image pipeline into the model")
struct PipelineEmbeddingTests {
    @Test("a JPEG file through ImagePipeline embeds like the reference processor's pixels",
          arguments: Fixture.names)
    func jpegMatchesReference(name: String) throws {
        let fixture = try Fixture(name)
        let model = try ClipModel(directory: fixture.directory)
        let path = try #require(fixture.jpegPath)
        let reference = try #require(fixture.jpegEmbedding)
        for exact in [true, false] {
            let photo = try ImagePipeline(exact: exact).process(fileAt: path, spec: model.preprocess)
            #expect(photo.input.count == 3 * model.preprocess.size * model.preprocess.size)
            let e = try model.embedImages([photo.input])[0]
            let d = maxAbsDiff(e, reference)
            #expect(cosine(e, reference) > 0.9999, "exact \(exact): maxdiff \(d)")
            #expect(d < 1e-3, "exact \(exact): maxdiff \(d)")
        }
    }
}
