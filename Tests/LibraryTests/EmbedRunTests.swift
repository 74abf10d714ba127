import Library
import PicseekCore
import PicseekTestSupport
import Testing

@Suite("picseek embed with a model: texts and images through the embedder, in order")
struct EmbedRunTests {
    /// A model that returns no vector for an image.
    final class Silent: Embedder, @unchecked Sendable {
        let model = EmbedderIdentity(name: "silent", family: "test", dimension: 2, fingerprint: "s")
        let preprocess = FakeEmbedder().preprocess
        func embedImages(_ batch: [[Float]]) throws -> [[Float]] { [] }
        func embedText(_ text: String) throws -> [Float] { [1, 0] }
    }

    @Test("an image is read with the model's preprocessing and embedded")
    func image() throws {
        let model = FakeEmbedder()
        let pixels = (0..<48).map { Float($0) / 48 }
        var specs: [PreprocessSpec] = []
        var lines: [String] = []
        try EmbeddingText.run(
            [.text("red car"), .image("/p/a.jpg")], json: false, embedder: model,
            process: { path, spec in
                #expect(path == "/p/a.jpg")
                specs.append(spec)
                return pixels
            }, output: { lines.append($0) })
        #expect(specs == [model.preprocess])
        #expect(model.textLog == ["red car"])
        #expect(model.imageCount == 1)
        let car = try model.embedText("red car")
        #expect(
            lines == [
                EmbeddingText.plain(key: "text", value: "red car", vector: car),
                EmbeddingText.plain(key: "image", value: "/p/a.jpg", vector: model.project(pixels)),
            ])
    }

    @Test("a model that returns no vector fails the image, naming it")
    func noVector() {
        var lines: [String] = []
        do {
            try EmbeddingText.run(
                [.image("/p/b.png")], json: true, embedder: Silent(),
                process: { _, _ in [0] }, output: { lines.append($0) })
            Issue.record("an image without a vector must stop the run")
        } catch {
            #expect(error.description == "image /p/b.png: the model returned no vector")
        }
        #expect(lines.isEmpty)
    }
}
