import ArgumentParser
import Foundation
import Imaging
import Library
import PicseekCore

/// `picseek eval --captions FILE`: text-to-image Recall@1 and Recall@5 per language.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure text-to-image retrieval (Recall@1, Recall@5) on a captions file.",
        discussion: """
            The captions file is JSONL, one image per line: {"image": PATH, "en": TEXT, \
            "zh": TEXT, "matches": [PATH, ...]}, paths relative to the file. Every image is \
            embedded (decoded at full size unless --fast), every caption is embedded as written \
            (no prompt template), images are ranked by cosine similarity (ties by file order), and \
            a caption is a hit at K when one of its "matches" is among the first K. Languages: \
            "en" and "zh", each when every line has it. The bundled demo model's set is \
            models/picseek-demo/eval/captions.jsonl.
            """)

    @Option(help: ArgumentHelp("The captions file (JSONL).", valueName: "file"))
    var captions: String

    @Option(help: ArgumentHelp("Model name or folder (default: as `picseek model list` shows).", valueName: "model"))
    var model: String?

    @Flag(help: "Print one JSON object: {\"model\", \"queries\", \"en\": {\"R@1\", \"R@5\"}, ...}.")
    var json = false

    @Flag(help: "Decode JPEGs with DCT scaling as indexing does (default: full decode, like PIL).")
    var fast = false

    @OptionGroup var precision: PrecisionOptions

    /// The caption languages evaluated, in output order.
    static let languages = ["en", "zh"]
    /// The K of each Recall@K.
    static let ks = [1, 5]

    func run() throws {
        let set: CaptionsFile
        let matches: [[Int]]
        do {
            set = try CaptionsFile(path: captions)
            matches = try set.matchIndices()
        } catch {
            throw CLIError(error)
        }
        var queries: [(language: String, texts: [String])] = []
        for language in Self.languages {
            if case .success(let texts) = set.captions(language) { queries.append((language, texts)) }
        }
        if queries.isEmpty, case .failure(let error) = set.captions(Self.languages[0]) {
            throw CLIError("no language has a caption on every line (\(error))")
        }

        let imagePrecision = try precision.resolve()
        prepareThreads(for: imagePrecision)
        let embedder = try loadEmbedder(modelPath: model, imagePrecision: imagePrecision)
        let images = try embedImages(set, with: embedder)
        var results: [(language: String, recall: [Int: Double])] = []
        for (language, texts) in queries {
            var scores: [[Float]] = []
            scores.reserveCapacity(texts.count)
            for (line, text) in zip(set.lines, texts) {
                let q: [Float]
                do {
                    q = try embedder.embedText(text)
                } catch {
                    throw CLIError("\(TerminalSafe.escape(captions)) line \(line.lineNumber): "
                        + "cannot embed the \(language) caption: \(TerminalSafe.escape("\(error)"))")
                }
                scores.append(images.map { dot(q, $0) })
            }
            results.append((language, RetrievalRecall.recall(scores: scores, matches: matches, ks: Self.ks)))
        }
        print(json ? jsonText(embedder, set, results) : plainText(embedder, set, results))
    }

    /// Every line's image through the image pipeline and the image tower, in file order.
    private func embedImages(_ set: CaptionsFile, with embedder: any Embedder) throws -> [[Float]] {
        let base = (captions as NSString).deletingLastPathComponent
        let pipeline = ImagePipeline(exact: !fast)
        var vectors: [[Float]] = []
        vectors.reserveCapacity(set.lines.count)
        var start = 0
        while start < set.lines.count {
            let chunk = set.lines[start..<min(start + 32, set.lines.count)]
            var inputs: [[Float]] = []
            for line in chunk {
                let path = line.image.hasPrefix("/")
                    ? line.image : (base as NSString).appendingPathComponent(line.image)
                do {
                    inputs.append(try pipeline.process(fileAt: path, spec: embedder.preprocess).input)
                } catch {
                    throw CLIError("\(TerminalSafe.escape(captions)) line \(line.lineNumber): "
                        + TerminalSafe.escape(error.description))
                }
            }
            do {
                vectors += try embedder.embedImages(inputs)
            } catch {
                throw CLIError("embedding images: \(TerminalSafe.escape("\(error)"))")
            }
            start += chunk.count
        }
        return vectors
    }

    private func dot(_ a: [Float], _ b: [Float]) -> Float {
        var s: Float = 0
        for i in 0..<min(a.count, b.count) { s += a[i] * b[i] }
        return s
    }

    private func plainText(
        _ embedder: any Embedder, _ set: CaptionsFile, _ results: [(language: String, recall: [Int: Double])]
    ) -> String {
        var out = "model \(TerminalSafe.escape(embedder.model.name)), \(set.lines.count) images, "
            + "\(set.lines.count) captions per language\n"
        let header = Self.ks.map { "R@\($0)".padding(toLength: 6, withPad: " ", startingAt: 0) }
        out += "language  " + header.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        for (language, recall) in results {
            out += TerminalSafe.escape(language).padding(toLength: 10, withPad: " ", startingAt: 0)
            out += Self.ks.map { String(format: "%.4f", recall[$0] ?? 0) }.joined(separator: "  ")
            out += "\n"
        }
        return String(out.dropLast())
    }

    private func jsonText(
        _ embedder: any Embedder, _ set: CaptionsFile, _ results: [(language: String, recall: [Int: Double])]
    ) -> String {
        var fields = ["\"model\":\(JSONText.quote(embedder.model.name))", "\"queries\":\(set.lines.count)"]
        for (language, recall) in results {
            let inner = Self.ks.map { "\"R@\($0)\":" + String(format: "%.4f", recall[$0] ?? 0) }
            fields.append("\(JSONText.quote(language)):{\(inner.joined(separator: ","))}")
        }
        return "{" + fields.joined(separator: ",") + "}"
    }
}
