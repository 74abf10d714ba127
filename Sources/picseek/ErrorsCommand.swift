import ArgumentParser
import Library

/// `picseek errors`: files that could not be indexed, with the reason.
struct ErrorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "errors",
        abstract: "List files that could not be indexed, with the reason.",
        discussion: "A failed file is retried when its size or modification time changes.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.openForReading()
        let failed = try store.failedPhotos()
        for photo in failed {
            print(MaintenanceText.failedLine(path: photo.path, error: photo.error))
        }
        if failed.isEmpty { printError("no failed files") }
    }
}
