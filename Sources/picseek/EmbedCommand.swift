import ArgumentParser
import CLIP
import Foundation
import Imaging
import Library
import PicseekCore

/// `picseek embed`: prints the embeddings of texts and images with a model folder.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print L2-normalised embeddings of texts and images.",
        discussion: """
            Inputs are embedded in the order given. With --json each result is one line:
            {"text": T, "embedding": [...]} or {"image": PATH, "embedding": [...]}.
            """)

    @Option(name: .long, help: "Hugging Face model folder (config.json, model.safetensors, ...).")
    var model: String

    @Option(name: .long, help: "A text to embed (repeatable).")
    var text: [String] = []

    @Option(
        name: .long,
        help:
            "A photo (JPEG, PNG, WebP, GIF, TIFF, HEIC, AVIF or camera RAW) to embed (repeatable)."
    )
    var image: [String] = []

    @Flag(name: .long, help: "Print one JSON object per line.")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Image tower arithmetic: fp32 (the reference's), bf16 (CPUs with AVX512_BF16) or "
                + "int8 (CPUs with AVX-512 VNNI).",
            valueName: "fp32|bf16|int8"))
    var imagePrecision: ImagePrecision = .float32

    func validate() throws {
        if text.isEmpty && image.isEmpty {
            throw ValidationError("give at least one --text or --image")
        }
        try PrecisionOptions.checkSupported(imagePrecision)
    }

    func run() throws {
        let clip: ClipModel
        do {
            imagePrecision.prepareThreads()
            clip = try ClipModel(directory: model, imagePrecision: imagePrecision)
        } catch {
            fail("cannot load model \(model): \(error.description)")
        }
        let inputs = EmbedInput.ordered(
            texts: text, images: image, arguments: CommandLine.arguments)
        do {
            try EmbeddingText.run(
                inputs, json: json, embedder: clip,
                process: { try ImagePipeline().process(fileAt: $0, spec: $1).input },
                output: { print($0) })
        } catch {
            fail(error.description)
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(
            Data(("picseek embed: " + TerminalSafe.escape(message) + "\n").utf8))
        Foundation.exit(1)
    }
}
