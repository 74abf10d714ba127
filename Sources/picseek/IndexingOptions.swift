import ArgumentParser
import Library

/// The model and what to scan, shared by the commands that index (`index`, `watch`).
struct IndexingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Model weights to embed with.", valueName: "path"))
    var model: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Skip files and folders matching this glob (repeatable); "
                + "a glob with / matches the whole path.",
            valueName: "glob"))
    var exclude: [String] = []

    @Flag(help: "Also index hidden files and folders.")
    var includeHidden = false

    /// What to scan and skip, as these options ask.
    var scan: ScanOptions {
        var scan = ScanOptions()
        scan.excludeGlobs = exclude
        scan.includeHidden = includeHidden
        return scan
    }
}
