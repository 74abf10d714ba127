import ArgumentParser
import Foundation
import Library

/// `picseek watch [PATH...]`: keep the index fresh while it runs (inotify).
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract:
            "Keep the index fresh: index photos as they are added, changed, moved or deleted.",
        discussion: """
            Watches the indexed folders (or the given ones, which are indexed first) with Linux \
            inotify and rescans a folder shortly after a photo in it is closed, moved or deleted: \
            new photos are searchable within seconds, bursts (a camera import, an rsync) are \
            handled in batches, and photos still being written wait until they are complete. \
            Folders created later are watched too. The words in new and changed photos are read \
            after their vectors, between changes (--no-ocr or PICSEEK_OCR=off turns it off). When the inotify watch limit \
            (fs.inotify.max_user_watches) is reached, the watcher says how to raise it and \
            rescans the unwatched folders periodically. A folder that disappears (an unmounted \
            drive) keeps its photos in the index and is rescanned when it comes back. Idle, it \
            uses no CPU. It shares the index's writer lock with `picseek index` and the \
            explorer's reindex: while one of them writes, it waits.

            --install-service writes a systemd user unit instead; start it with \
            `systemctl --user enable --now picseek-watch`.
            """)

    @Argument(
        help: ArgumentHelp(
            "Folders to watch (default: every folder in the index).", valueName: "path"))
    var paths: [String] = []

    @OptionGroup var indexing: IndexingOptions

    @Option(
        help: ArgumentHelp(
            "Minutes between full rescans of folders the watch limit leaves unwatched.",
            valueName: "minutes"))
    var rescanMinutes = 10.0

    @Flag(help: "Write the systemd user unit picseek-watch.service (with these options) and exit.")
    var installService = false

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var precision: PrecisionOptions

    @OptionGroup var ocr: OCROptions

    func run() throws {
        let options = try WatchOptions(scan: indexing.scan, rescanMinutes: rescanMinutes)
        try ocr.request.validateForWatch()
        if installService {
            try writeService()
            return
        }
        // Without folders there must be an index to take them from: do not create one.
        let store = try paths.isEmpty ? database.openExisting() : database.open()
        var roots = try paths.map { try RawPath.typedFolder($0) }
        if roots.isEmpty { roots = try store.roots().filter { $0.isMountedHere }.map(\.path) }
        guard !roots.isEmpty else { throw WatchError.noFolders }
        let indexer = try makeIndexer(
            store: store, indexing: indexing, imagePrecision: try precision.prepare())
        let watcher = try Watcher(
            indexer: indexer, roots: roots, options: options, textPass: ocr.makePass(store: store)
        ) {
            WatchEventText.write($0, output: say, error: printError)
        }
        // A signal stops the watch; the exit status is then 128 + the signal.
        if let sig = try watcher.runUntilSignalled(output: say) { throw ExitCode(128 + sig) }
    }

    /// Writes `picseek-watch.service` for the user's systemd instance.
    private func writeService() throws {
        let lines = try ServiceUnit.installWatch(
            environment: ProcessInfo.processInfo.environment,
            executable: ServiceUnit.executablePath(), database: { try database.path() },
            model: indexing.model, exclude: indexing.exclude,
            includeHidden: indexing.includeHidden, rescanMinutes: rescanMinutes,
            imagePrecision: precision.imagePrecision?.rawValue, folders: paths,
            ocr: ocr.request.givenArguments)
        for line in lines { say(line) }
    }
}

/// Writes a line to standard output at once (a service's output is a pipe).
func say(_ text: String) {
    StandardStreams.output(text)
}
