import ArgumentParser
import Foundation
import Library
import Store

/// `--db`, shared by every command that opens the index.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Index database: a file (default: $PICSEEK_DB, else "
                + "$XDG_DATA_HOME/picseek/index.sqlite) or a postgresql:// URL.",
            valueName: "path-or-url"))
    var db: String?

    /// The resolved database location; a `DatabaseLocationError` prints as its description.
    func path() throws -> String {
        try DatabaseLocation.require(explicit: db, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens (creating if needed) the index.
    func open() throws -> any PhotoIndex {
        try IndexOpening.open(path(), for: .write)
    }

    /// Opens the index only if it exists, so read-only commands do not create one, and
    /// opens it for writing (`forget`).
    func openExisting() throws -> any PhotoIndex {
        try IndexOpening.open(path(), for: .writeExisting)
    }

    /// Opens an existing index without writing to it (`search`, `status`, `errors`,
    /// `duplicates`).
    func openForReading() throws -> any PhotoIndex {
        try IndexOpening.open(path(), for: .read)
    }

    /// Opens the index for the explorer: for writing when it can be written, else read-only.
    func openPreferringWrite() throws -> any PhotoIndex {
        try IndexOpening.open(path(), for: .preferWrite)
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    StandardStreams.error(text)
}
