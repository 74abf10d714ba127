import Foundation
import PicseekCore
import Testing

@testable import CLIP

@Suite("OpenCLIP layout: GELU ViT at patch 32, XLM-R mean pooling, MLP projection")
struct OpenCLIPParityTests {
    @Test("open_clip_config.json and tensor shapes give the fixture's configuration")
    func config() throws {
        let model = try ClipModel(directory: try Fixture("openclip64").directory)
        let c = model.config
        #expect(c.layout == .openCLIP)
        #expect(
            c.vision
                == VisionConfig(
                    hiddenSize: 48, intermediateSize: 192, layers: 2, heads: 3, patchSize: 32,
                    imageSize: 64,
                    activation: .gelu))
        #expect(c.text.pooling == .mean)
        #expect(c.text.positionOffset == 2 && c.text.padTokenID == 1)
        #expect(c.text.vocabSize == 1000 && c.text.layers == 2 && c.text.heads == 4)
        #expect(c.textProjection == .mlp(hidden: 40, activation: .gelu))
        #expect(model.preprocess.mode == .shortestSideCenterCrop)
        #expect(model.model.family == "openclip-xlmr")
    }

    @Test("text embeddings (masked mean pooling, MLP projection) are within 1e-4 of open_clip")
    func textParity() throws {
        let fixture = try Fixture("openclip64")
        let model = try ClipModel(directory: fixture.directory)
        #expect(fixture.texts.count >= 10)
        for t in fixture.texts {
            let d = maxAbsDiff(try model.embedText(ids: t.ids), t.embedding)
            #expect(d <= 1e-4, "\(t.text): maxdiff \(d)")
            let padded = t.ids + [Int](repeating: 1, count: 38 - t.ids.count)
            let dp = maxAbsDiff(try model.embedText(ids: padded), t.embedding)
            #expect(dp <= 1e-4, "\(t.text) padded: maxdiff \(dp)")
        }
    }

    @Test("without tokenizer.json, text strings are refused with a message naming the file")
    func noTokenizer() throws {
        let model = try ClipModel(directory: try Fixture("openclip64").directory)
        do {
            _ = try model.embedText("hello")
            Issue.record("embedding a text without a tokenizer succeeded")
        } catch let error as CLIPError {
            #expect(error.description.contains("tokenizer.json"))
        }
    }

    @Test("image embeddings (GELU ViT, fused in_proj, [width, dim] projection) are within 1e-4")
    func imageParity() throws {
        let fixture = try Fixture("openclip64")
        let model = try ClipModel(directory: fixture.directory)
        let out = try model.embedImages(fixture.images.map(\.pixels))
        for (i, image) in fixture.images.enumerated() {
            let d = maxAbsDiff(out[i], image.embedding)
            #expect(d <= 1e-4, "image \(i): maxdiff \(d)")
        }
    }
}
