import ArgumentParser
import Foundation
import Library
import PicseekCore
import Store

/// `--db`, shared by every command that opens the index.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Index database file (default: $PICSEEK_DB, else $XDG_DATA_HOME/picseek/index.sqlite).",
            valueName: "path"))
    var db: String?

    /// The resolved database path.
    func path() throws -> String {
        guard let path = DatabaseLocation.resolve(
            explicit: db, environment: ProcessInfo.processInfo.environment)
        else {
            throw CLIError("no database location: set --db, PICSEEK_DB or HOME")
        }
        return path
    }

    /// Opens (creating if needed) the index.
    func open() throws -> IndexStore {
        try IndexStore.open(path: path())
    }

    /// Opens the index only if it exists, so read-only commands do not create one.
    func openExisting() throws -> IndexStore {
        let path = try path()
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError(
                "no index at \(TerminalSafe.escape(path)); run picseek index PATH first")
        }
        return try IndexStore.open(path: path)
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The canonical raw path of a command-line path; `mustExist` turns a missing
/// path into an error, otherwise the absolute form of what was typed is used.
/// `canonicalPath(typed, mustExist: true)` for a path that must be a folder: a
/// photo or other file given instead is a plain error naming its folder.
func canonicalFolder(_ typed: String) throws -> [UInt8] {
    let path = try canonicalPath(typed, mustExist: true)
    var info = stat()
    let status = RawPath.withCString(path) { stat($0, &info) }
    if status == 0, info.st_mode & S_IFMT != S_IFDIR {
        var parent = path
        while let last = parent.last, last != 0x2F { parent.removeLast() }
        if parent.count > 1 { parent.removeLast() }
        throw CLIError("\(TerminalSafe.escape(typed)) is a file, not a folder; give its folder "
            + "(\(RawPath.display(parent))) instead")
    }
    return path
}

func canonicalPath(_ typed: String, mustExist: Bool) throws -> [UInt8] {
    switch RawPath.canonical(RawPath.bytes(typed)) {
    case .success(let path): return path
    case .failure(let error):
        if mustExist { throw CLIError(error.description) }
        if typed.hasPrefix("/") { return RawPath.bytes(typed) }
        return RawPath.join(
            RawPath.bytes(FileManager.default.currentDirectoryPath), RawPath.bytes(typed))
    }
}
