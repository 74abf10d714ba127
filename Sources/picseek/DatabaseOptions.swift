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

    /// Opens the index only if it exists, so read-only commands do not create one, and
    /// opens it for writing (`forget`).
    func openExisting() throws -> IndexStore {
        let path = try existingPath()
        return try IndexStore.open(path: path)
    }

    /// Opens an existing index without writing to it (`search`, `status`, `errors`,
    /// `duplicates`), so these work on a full disk, a read-only mount or file, and another
    /// user's index. An index whose schema is missing or older is migrated first when it can
    /// be written; when it cannot, the error says why.
    func openForReading() throws -> IndexStore {
        let path = try existingPath()
        do {
            return try IndexStore.open(path: path, mode: .readOnly)
        } catch let error as StoreError {
            guard case .cannotMigrate = error, IndexStore.writeProblem(at: path) == nil else {
                throw error
            }
            do {
                return try IndexStore.open(path: path)
            } catch let writing as StoreError {
                switch writing {
                case .diskFull, .readOnly, .cannotMigrate: throw error
                default: throw writing
                }
            }
        }
    }

    /// Opens the index for the explorer: for writing when it can be written, else read-only
    /// (the explorer then says "read-only index" and does not reindex).
    func openPreferringWrite() throws -> IndexStore {
        let path = try path()
        let exists = FileManager.default.fileExists(atPath: path)
        if exists, IndexStore.writeProblem(at: path) != nil {
            return try IndexStore.open(path: path, mode: .readOnly)
        }
        do {
            return try IndexStore.open(path: path)
        } catch let error as StoreError {
            switch error {
            case .diskFull, .readOnly, .cannotMigrate:
                guard exists else { throw error }
                return try IndexStore.open(path: path, mode: .readOnly)
            default:
                throw error
            }
        }
    }

    private func existingPath() throws -> String {
        let path = try path()
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError(
                "no index at \(TerminalSafe.escape(path)); run picseek index PATH first")
        }
        return path
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
