import Foundation
import PicseekCore
import Testing

@testable import CLIP

@Suite("Parity with the PyTorch reference (committed fixtures)")
struct ParityTests {
    @Test(
        "text embeddings from reference token ids are within 1e-4 of get_text_features",
        arguments: Fixture.names)
    func textParity(name: String) throws {
        let fixture = try Fixture(name)
        let model = try ClipModel(directory: fixture.directory)
        #expect(fixture.texts.count >= 20)
        for t in fixture.texts {
            let e = try model.embedText(ids: t.ids)
            let d = maxAbsDiff(e, t.embedding)
            #expect(d <= 1e-4, "\(name) text \(t.text.prefix(20)): maxdiff \(d)")
        }
    }

    @Test(
        "text strings through the WordPiece tokenizer give the reference ids and embeddings",
        arguments: Fixture.names)
    func textFromStrings(name: String) throws {
        let fixture = try Fixture(name)
        let model = try ClipModel(directory: fixture.directory)
        let tokenizer = try model.tokenizer.get()
        for t in fixture.texts {
            #expect(tokenizer.encode(t.text) == t.ids, "ids of \(t.text.prefix(20))")
            let d = maxAbsDiff(try model.embedText(t.text), t.embedding)
            #expect(d <= 1e-4, "\(name) text \(t.text.prefix(20)): maxdiff \(d)")
        }
    }

    @Test(
        "padding token ids to the context length does not change the vector",
        arguments: Fixture.names)
    func paddingDropped(name: String) throws {
        let fixture = try Fixture(name)
        let model = try ClipModel(directory: fixture.directory)
        for t in fixture.texts.prefix(5) {
            let padded = t.ids + [Int](repeating: 0, count: max(0, 52 - t.ids.count))
            let d = maxAbsDiff(try model.embedText(ids: padded), t.embedding)
            #expect(d <= 1e-4, "maxdiff \(d)")
        }
    }

    @Test(
        "image embeddings of the reference pixels are within 1e-4, batched and one by one",
        arguments: Fixture.names)
    func imageParity(name: String) throws {
        let fixture = try Fixture(name)
        let model = try ClipModel(directory: fixture.directory)
        let batch = try model.embedImages(fixture.images.map(\.pixels))
        #expect(batch.count == fixture.images.count)
        for (i, image) in fixture.images.enumerated() {
            let d = maxAbsDiff(batch[i], image.embedding)
            #expect(d <= 1e-4, "\(name) image \(i) in a batch: maxdiff \(d)")
            let single = try model.embedImages([image.pixels])
            let d1 = maxAbsDiff(single[0], image.embedding)
            #expect(d1 <= 1e-4, "\(name) image \(i) alone: maxdiff \(d1)")
        }
    }

    @Test("misaligned F32 data is copied on load and still matches the reference within 1e-4")
    func misalignedFloat32() throws {
        let fixture = try Fixture("odd70")
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        try copy.editHeader(extraPadding: 2) { _ in }
        let model = try ClipModel(directory: copy.directory)
        let t = fixture.texts[0]
        let d = maxAbsDiff(try model.embedText(ids: t.ids), t.embedding)
        #expect(d <= 1e-4, "maxdiff \(d)")
        let di = maxAbsDiff(
            try model.embedImages([fixture.images[0].pixels])[0], fixture.images[0].embedding)
        #expect(di <= 1e-4, "maxdiff \(di)")
    }

    @Test("BF16 weights load and give embeddings close to the fp32 reference (cosine > 0.99)")
    func bfloat16Weights() throws {
        let fixture = try Fixture("odd70")
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        try copy.convertToBFloat16()
        let model = try ClipModel(directory: copy.directory)
        let t = fixture.texts[0]
        let e = try model.embedText(ids: t.ids)
        #expect(cosine(e, t.embedding) > 0.99)
        #expect(maxAbsDiff(e, t.embedding) > 0, "bf16 rounding should change something")
        let i = try model.embedImages([fixture.images[1].pixels])[0]
        #expect(cosine(i, fixture.images[1].embedding) > 0.99)
    }

    @Test("different inputs give clearly different embeddings")
    func inputsDiffer() throws {
        let fixture = try Fixture("odd70")
        let model = try ClipModel(directory: fixture.directory)
        let a = try model.embedText(ids: fixture.texts[0].ids)
        let b = try model.embedText(ids: fixture.texts[2].ids)
        #expect(cosine(a, b) < 0.99)
        let images = try model.embedImages(fixture.images.prefix(2).map(\.pixels))
        #expect(cosine(images[0], images[1]) < 0.99)
    }

    @Test("config.json and preprocessor_config.json give the fixture's shapes and a squash spec")
    func configLoaded() throws {
        let model = try ClipModel(directory: try Fixture("odd70").directory)
        #expect(
            model.config.vision
                == VisionConfig(
                    hiddenSize: 48, intermediateSize: 100, layers: 3, heads: 3, patchSize: 14,
                    imageSize: 70))
        #expect(model.config.text.hiddenSize == 40)
        #expect(model.config.text.heads == 5)
        #expect(model.config.text.vocabSize == 21128)
        #expect(model.config.projectionDim == 24)
        #expect(model.preprocess.size == 70)
        #expect(model.preprocess.mode == .squash)
        #expect(model.preprocess.mean == PreprocessSpec.openAIMean)
        #expect(model.model.dimension == 24)
        #expect(model.model.name == "odd70")
    }

    @Test("the weights fingerprint is a SHA-256 that differs between models")
    func fingerprint() throws {
        let a = try ClipModel(directory: try Fixture("odd70").directory).model.fingerprint
        let b = try ClipModel(directory: try Fixture("tiny224").directory).model.fingerprint
        #expect(a.hasPrefix("sha256:") && a.count == 7 + 64)
        #expect(a != b)
        let again = try ClipModel(directory: try Fixture("odd70").directory).model.fingerprint
        #expect(a == again)
    }

    @Test("bad token ids and wrong pixel counts are rejected with typed errors")
    func badInputs() throws {
        let model = try ClipModel(directory: try Fixture("odd70").directory)
        #expect(throws: CLIPError.tokenOutOfRange(id: 99999, vocabularySize: 21128)) {
            try model.embedText(ids: [101, 99999, 102])
        }
        #expect(throws: CLIPError.noTokens) { try model.embedText(ids: [0, 0]) }
        #expect(throws: CLIPError.tooManyTokens(count: 61, limit: 60)) {
            try model.embedText(ids: [Int](repeating: 101, count: 61))
        }
        #expect(throws: CLIPError.badPixelCount(index: 1, expected: 3 * 70 * 70, found: 5)) {
            try model.embedImages([[Float](repeating: 0, count: 3 * 70 * 70), [1, 2, 3, 4, 5]])
        }
    }
}
