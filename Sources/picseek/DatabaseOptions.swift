import ArgumentParser
import Foundation
import Library
import ModelHub
import Store

/// `--db`, shared by every command that opens the index.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Index database: a file or a postgresql:// URL (default: $PICSEEK_DB, else db "
                + "in config.toml, else $XDG_DATA_HOME/picseek/index.sqlite).",
            valueName: "path-or-url"))
    var db: String?

    /// The resolved database location: `--db`, else `PICSEEK_DB`, else `db = "…"` in
    /// config.toml, else the default file; a `DatabaseLocationError` prints as its description.
    func path() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var explicit = db
        if explicit == nil, (environment["PICSEEK_DB"] ?? "").isEmpty {
            let file = ModelLibrary().configFile
            explicit = try CLIError.wrapping { try ConfigFile.load(path: file) }.values["db"]
        }
        return try DatabaseLocation.require(explicit: explicit, environment: environment)
    }

    /// Opens (creating if needed) the index.
    func open() throws -> any PhotoIndex {
        Self.sayWhenWaiting(try IndexOpening.open(path(), for: .write))
    }

    /// Opens the index only if it exists, so read-only commands do not create one, and
    /// opens it for writing (`forget`).
    func openExisting() throws -> any PhotoIndex {
        Self.sayWhenWaiting(try IndexOpening.open(path(), for: .writeExisting))
    }

    /// A PostgreSQL index waits for another machine's indexer: say so on standard error.
    static func sayWhenWaiting(_ store: any PhotoIndex) -> any PhotoIndex {
        (store as? PostgresStore)?.lockWaitNotice = { printError($0) }
        return store
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
