import ArgumentParser
import Library
import PicseekCore
import Store

/// `picseek duplicates`: groups of near-identical photos from the stored vectors.
struct Duplicates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "List groups of near-identical photos (copies, resized or re-encoded versions, bursts).",
        discussion: """
            Compares the index's vectors of one model, every pair once; nothing is embedded \
            and no file is touched. Two photos are in one group when their cosine similarity \
            is at least the threshold, or when a chain of such pairs links them. Groups come \
            largest first; a summary goes to standard error.
            """)

    @Option(help: "Cosine similarity at or above which two photos count as duplicates (0 to 1).")
    var threshold: Float = 0.95

    @Option(help: ArgumentHelp("Model whose vectors to compare (default: as picseek model list shows).", valueName: "path"))
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
        let identity = try loadEmbedder(modelPath: model).model
        guard let record = try store.model(named: identity.name) else {
            throw CLIError("the index holds no vectors of model \(TerminalSafe.escape(identity.name)); "
                + "run picseek index with it first")
        }
        guard record.fingerprint == identity.fingerprint else {
            throw CLIError("the index's vectors of \(TerminalSafe.escape(identity.name)) come from other "
                + "weights (\(record.fingerprint)) than the installed ones (\(identity.fingerprint)); reindex")
        }
        let set = try store.loadVectors(model: record)
        let groups = DuplicateFinder.groups(in: set, threshold: threshold)
        for (number, rows) in groups.enumerated() {
            if json {
                let photos = rows.map { "{\"id\":\(set.ids[$0])," + HitFormatter.pathFields(set.paths[$0]) + "}" }
                print("{\"photos\":[" + photos.joined(separator: ",") + "]}")
            } else {
                if number > 0 { print("") }
                print("\(rows.count) photos:")
                for row in rows { print("  " + RawPath.display(set.paths[row])) }
            }
        }
        let photos = groups.reduce(0) { $0 + $1.count }
        printError("\(groups.count) group\(groups.count == 1 ? "" : "s"), \(photos) photos, "
            + "among \(set.count) compared at cosine ≥ \(threshold)")
    }
}
