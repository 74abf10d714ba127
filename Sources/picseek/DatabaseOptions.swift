import ArgumentParser
import Foundation
import Library
import Store

/// `--db`, shared by every command that opens the index.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Index database file (default: $PICSEEK_DB, else $XDG_DATA_HOME/picseek/index.sqlite).",
            valueName: "path"))
    var db: String?

    /// The resolved database path; a `DatabaseLocationError` prints as its description.
    func path() throws -> String {
        try DatabaseLocation.require(explicit: db, environment: ProcessInfo.processInfo.environment)
    }

    /// Opens (creating if needed) the index.
    func open() throws -> IndexStore {
        try IndexStore.open(path: path())
    }

    /// Opens the index only if it exists, so read-only commands do not create one, and
    /// opens it for writing (`forget`).
    func openExisting() throws -> IndexStore {
        let path = try existingPath()
        return try IndexStore.open(path: path)
    }

    /// Opens an existing index without writing to it (`search`, `status`, `errors`,
    /// `duplicates`): `IndexStore.openForReading`.
    func openForReading() throws -> IndexStore {
        try IndexStore.openForReading(path: existingPath())
    }

    /// Opens the index for the explorer: for writing when it can be written, else read-only
    /// (`IndexStore.openPreferringWrite`).
    func openPreferringWrite() throws -> IndexStore {
        try IndexStore.openPreferringWrite(path: path())
    }

    private func existingPath() throws -> String {
        try DatabaseLocation.existing(path())
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    StandardStreams.error(text)
}
