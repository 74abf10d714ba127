import ArgumentParser
import Library

/// `picseek duplicates`: groups of near-identical photos from the stored vectors.
struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract:
            "List groups of near-identical photos (copies, resized or re-encoded versions, bursts).",
        discussion: """
            Compares the index's vectors of one model, every pair once; nothing is embedded \
            and no file is touched. Two photos are in one group when their cosine similarity \
            is at least the threshold, or when a chain of such pairs links them. Groups come \
            largest first; a summary goes to standard error.
            """)

    @Option(help: "Cosine similarity at or above which two photos count as duplicates (0 to 1).")
    var threshold: Float = 0.95

    @Option(
        help: ArgumentHelp(
            "Model whose vectors to compare (default: as picseek model list shows).",
            valueName: "path"))
    var model: String?

    @Flag(help: "Print one JSON object per group: {\"photos\": [{\"id\", \"path\"}, ...]}.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard threshold > 0, threshold <= 1 else {
            throw ValidationError("--threshold must be above 0 and at most 1")
        }
    }

    func run() throws {
        let store = try database.openForReading()
        let identity = try loadModel(modelPath: model).embedder.model
        let set = try DuplicateReport.vectors(in: store, of: identity)
        let groups = DuplicateFinder.groups(in: set, threshold: threshold)
        for line in DuplicateReport.lines(groups: groups, in: set, json: json) { print(line) }
        printError(
            DuplicateReport.summary(groups: groups, compared: set.count, threshold: threshold))
    }
}
