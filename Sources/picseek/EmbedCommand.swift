import ArgumentParser
import CLIP
import Foundation
import Imaging
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

    @Option(name: .long, help: "A photo (JPEG, PNG, WebP, GIF or TIFF) to embed (repeatable).")
    var image: [String] = []

    @Flag(name: .long, help: "Print one JSON object per line.")
    var json = false

    @Option(name: .long, help: ArgumentHelp(
        "Image tower arithmetic: fp32 (the reference's) or bf16 (CPUs with AVX512_BF16).", valueName: "fp32|bf16"))
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
            prepareThreads(for: imagePrecision)
            clip = try ClipModel(directory: model, imagePrecision: imagePrecision)
        } catch {
            fail("cannot load model \(model): \(error.description)")
        }
        for input in EmbedInput.ordered(texts: text, images: image, arguments: CommandLine.arguments) {
            switch input {
            case .text(let t):
                do {
                    let vector = try clip.embedText(t)
                    emit(key: "text", value: t, vector: vector)
                } catch {
                    fail("text \"\(t)\": \(error)")
                }
            case .image(let path):
                let vector: [Float]
                do {
                    vector = try embedImage(path, with: clip)
                } catch {
                    fail("image \(path): \(error)")
                }
                emit(key: "image", value: path, vector: vector)
            }
        }
    }

    private func embedImage(_ path: String, with clip: ClipModel) throws -> [Float] {
        let photo = try ImagePipeline().process(fileAt: path, spec: clip.preprocess)
        guard let vector = try clip.embedImages([photo.input]).first else {
            throw EmbedFileError(message: "the model returned no vector")
        }
        return vector
    }

    private func emit(key: String, value: String, vector: [Float]) {
        if json {
            let numbers = vector.map { "\($0)" }.joined(separator: ",")
            print("{\"\(key)\":\(JSONText.quote(value)),\"embedding\":[\(numbers)]}")
        } else {
            let head = vector.prefix(6).map { String(format: "%.4f", $0) }.joined(separator: " ")
            print("\(key) \(TerminalSafe.escape(value)): \(vector.count) dims [\(head) ...]")
        }
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data(("picseek embed: " + TerminalSafe.escape(message) + "\n").utf8))
        Foundation.exit(1)
    }
}

/// A file-level failure in `picseek embed`.
struct EmbedFileError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// One input of `picseek embed`, in command-line order.
enum EmbedInput: Equatable {
    case text(String)
    case image(String)

    /// Interleaves the parsed `--text` and `--image` values in the order they appear in
    /// `arguments`; if the order cannot be recovered, texts come first.
    static func ordered(texts: [String], images: [String], arguments: [String]) -> [EmbedInput] {
        var kinds: [Bool] = []  // true = text
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { break }
            if a == "--text" || a == "--image" {
                kinds.append(a == "--text")
                i += 2
                continue
            }
            if a.hasPrefix("--text=") { kinds.append(true) }
            if a.hasPrefix("--image=") { kinds.append(false) }
            i += 1
        }
        guard kinds.filter({ $0 }).count == texts.count, kinds.filter({ !$0 }).count == images.count else {
            return texts.map(EmbedInput.text) + images.map(EmbedInput.image)
        }
        var t = texts.makeIterator(), m = images.makeIterator()
        return kinds.compactMap { $0 ? t.next().map(EmbedInput.text) : m.next().map(EmbedInput.image) }
    }
}

