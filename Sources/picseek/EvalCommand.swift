import ArgumentParser
import Foundation
import Imaging
import Library

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
            models/picseek-demo/eval/captions.jsonl. Each --queries file is JSONL too, one \
            query per line and no image: {"en": TEXT, "zh": TEXT, "matches": [PATH, ...]}, \
            matches naming images of the captions file; its queries are ranked against the \
            same images and reported after the captions (the demo model's paraphrase set is \
            models/picseek-demo/eval/paraphrases.jsonl).
            """)

    @Option(help: ArgumentHelp("The captions file (JSONL).", valueName: "file"))
    var captions: String

    @Option(
        help: ArgumentHelp(
            "A query set (JSONL) ranked against the captions file's images; may be repeated.",
            valueName: "file"))
    var queries: [String] = []

    @Option(
        help: ArgumentHelp(
            "Model name or folder (default: as `picseek model list` shows).", valueName: "model"))
    var model: String?

    @Flag(help: "Print one JSON object: {\"model\", \"queries\", \"en\": {\"R@1\", \"R@5\"}, ...}.")
    var json = false

    @Flag(help: "Decode JPEGs with DCT scaling as indexing does (default: full decode, like PIL).")
    var fast = false

    @OptionGroup var precision: PrecisionOptions

    @OptionGroup var textPrecision: TextPrecisionOptions

    func run() throws {
        try textPrecision.prepare()
        let set = try CLIError.wrapping { try CaptionsFile(path: captions) }
        let matches = try CLIError.wrapping { try set.matchIndices() }
        let extra = try queries.map { path in
            let querySet = try CLIError.wrapping { try QuerySet(path: path) }
            return RetrievalEvaluation.ExtraQueries(
                name: (path as NSString).lastPathComponent, set: querySet,
                matches: try CLIError.wrapping { try querySet.matchIndices(in: set) })
        }
        let evaluation = RetrievalEvaluation(set: set, path: captions)
        let pipeline = ImagePipeline(exact: !fast)
        let report = try evaluation.report(matches: matches, json: json, extra: extra) {
            try loadModel(modelPath: model, imagePrecision: precision.prepare()).embedder
        } process: {
            try pipeline.process(fileAt: $0, spec: $1)
        }
        print(report)
    }
}
