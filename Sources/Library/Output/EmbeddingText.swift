import Foundation
import PicseekCore

/// How `picseek embed` prints an embedding.
public enum EmbeddingText {
    /// `{"text": T, "embedding": [...]}` (or `"image"`), one JSON line, every number in
    /// full.
    public static func json(key: String, value: String, vector: [Float]) -> String {
        let numbers = vector.map { "\($0)" }.joined(separator: ",")
        return "{\"\(key)\":\(JSONText.quote(value)),\"embedding\":[\(numbers)]}"
    }

    /// `text a cat: 512 dims [0.0123 -0.0456 ...]`: the size and the first six values, the
    /// text or path escaped for a terminal.
    public static func plain(key: String, value: String, vector: [Float]) -> String {
        let head = vector.prefix(6).map { String(format: "%.4f", $0) }.joined(separator: " ")
        return "\(key) \(TerminalSafe.escape(value)): \(vector.count) dims [\(head) ...]"
    }

    /// Embeds `inputs` in order and passes each one's line (`json` or `plain`) to `output`.
    ///
    /// The first input that cannot be embedded stops the run with an `EmbedFailure` naming
    /// it: `text "T": REASON` or `image PATH: REASON` (not yet escaped).
    public static func run(
        _ inputs: [EmbedInput], json: Bool, embedText: (String) throws -> [Float],
        embedImage: (String) throws -> [Float], output: (String) -> Void
    ) throws(EmbedFailure) {
        for input in inputs {
            let (key, value) =
                switch input {
                case .text(let text): ("text", text)
                case .image(let path): ("image", path)
                }
            let vector: [Float]
            do {
                vector = try key == "text" ? embedText(value) : embedImage(value)
            } catch {
                let name = key == "text" ? "text \"\(value)\"" : "image \(value)"
                throw EmbedFailure(message: "\(name): \(error)")
            }
            output(
                json
                    ? self.json(key: key, value: value, vector: vector)
                    : plain(key: key, value: value, vector: vector))
        }
    }
}

extension EmbeddingText {
    /// `run` with `embedder`: texts through `embedText`, images read by `process` (a file's
    /// model input for `embedder.preprocess`) and embedded one at a time.
    ///
    /// A model that returns no vector for an image fails that image: `the model returned no
    /// vector`.
    public static func run(
        _ inputs: [EmbedInput], json: Bool, embedder: any Embedder,
        process: (String, PreprocessSpec) throws -> [Float], output: (String) -> Void
    ) throws(EmbedFailure) {
        try run(
            inputs, json: json, embedText: { try embedder.embedText($0) },
            embedImage: { path in
                let input = try process(path, embedder.preprocess)
                guard let vector = try embedder.embedImages([input]).first else {
                    throw EmbedFailure(message: "the model returned no vector")
                }
                return vector
            }, output: output)
    }
}

/// An input `picseek embed` could not embed, or a reason it could not.
public struct EmbedFailure: Error, CustomStringConvertible {
    /// What went wrong, naming the input.
    public let message: String

    /// A failure with this message.
    public init(message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}

/// One input of `picseek embed`, in command-line order.
public enum EmbedInput: Equatable, Sendable {
    /// A `--text` value.
    case text(String)
    /// An `--image` path.
    case image(String)

    /// Interleaves the parsed `--text` and `--image` values in the order they appear in
    /// `arguments`; if the order cannot be recovered, texts come first.
    public static func ordered(texts: [String], images: [String], arguments: [String])
        -> [EmbedInput]
    {
        var kinds: [Bool] = [] // true = text
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
        guard kinds.filter({ $0 }).count == texts.count,
            kinds.filter({ !$0 }).count == images.count
        else {
            return texts.map(EmbedInput.text) + images.map(EmbedInput.image)
        }
        var t = texts.makeIterator(), m = images.makeIterator()
        return kinds.compactMap {
            $0 ? t.next().map(EmbedInput.text) : m.next().map(EmbedInput.image)
        }
    }
}
