import ArgumentParser
import Library
import Store

/// `picseek forget PATH`: drop photos (and indexed folders) from the index.
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Remove a photo or a whole folder from the index (the files are not touched).")

    @Argument(help: ArgumentHelp("Photos or folders to forget.", valueName: "path"))
    var paths: [String]

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.openExisting()
        let lock = try store.lockForWriting()
        defer { lock?.release() }
        for typed in paths {
            // A folder that no longer exists can still be forgotten, and so can a photo or
            // folder of a named root not mounted here, given as `name:relative`.
            var path = RawPath.bytes(typed)
            let exists = (try? RawPath.canonical(path).get()) != nil
            if RootPaths.split(path) == nil || exists {
                path = try RawPath.typed(typed, mustExist: false)
            }
            let removed = try store.forget(path: path)
            print(MaintenanceText.forgotLine(path: path, removed: removed))
        }
    }
}
