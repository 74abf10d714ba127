import ArgumentParser
import Dispatch
import Foundation
import Library
import PicseekCore
import Store
#if canImport(Glibc)
import Glibc
#endif

/// `picseek watch [PATH...]`: keep the index fresh while it runs (inotify).
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract:
            "Keep the index fresh: index photos as they are added, changed, moved or deleted.",
        discussion: """
            Watches the indexed folders (or the given ones, which are indexed first) with Linux \
            inotify and rescans a folder shortly after a photo in it is closed, moved or deleted: \
            new photos are searchable within seconds, bursts (a camera import, an rsync) are \
            handled in batches, and photos still being written wait until they are complete. \
            Folders created later are watched too. When the inotify watch limit \
            (fs.inotify.max_user_watches) is reached, the watcher says how to raise it and \
            rescans the unwatched folders periodically. A folder that disappears (an unmounted \
            drive) keeps its photos in the index and is rescanned when it comes back. Idle, it \
            uses no CPU. It shares the index's writer lock with `picseek index` and the \
            explorer's reindex: while one of them writes, it waits.

            --install-service writes a systemd user unit instead; start it with \
            `systemctl --user enable --now picseek-watch`.
            """)

    @Argument(help: ArgumentHelp(
        "Folders to watch (default: every folder in the index).", valueName: "path"))
    var paths: [String] = []

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

    @Option(help: ArgumentHelp(
        "Minutes between full rescans of folders the watch limit leaves unwatched.",
        valueName: "minutes"))
    var rescanMinutes = 10.0

    @Flag(help: "Write the systemd user unit picseek-watch.service (with these options) and exit.")
    var installService = false

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var precision: PrecisionOptions

    func run() throws {
        guard rescanMinutes > 0 else { throw CLIError("--rescan-minutes must be above 0") }
        if installService {
            try writeService()
            return
        }
        // Without folders there must be an index to take them from: do not create one.
        let store = try paths.isEmpty ? database.openExisting() : database.open()
        var roots = try paths.map { try canonicalFolder($0) }
        if roots.isEmpty { roots = try store.roots().map(\.path) }
        guard !roots.isEmpty else { throw CLIError(WatchError.noFolders.description) }
        let imagePrecision = try precision.resolve()
        prepareThreads(for: imagePrecision)
        let embedder = try loadEmbedder(modelPath: model, imagePrecision: imagePrecision)
        var indexOptions = IndexOptions()
        indexOptions.scan.excludeGlobs = exclude
        indexOptions.scan.includeHidden = includeHidden
        var options = WatchOptions()
        options.scan = indexOptions.scan
        options.rescanInterval = rescanMinutes * 60
        let indexer = Indexer(
            store: store, embedder: embedder, processor: try makePhotoProcessor(for: embedder),
            encodeThumbnail: encodeJPEGThumbnail, options: indexOptions)
        let watcher = try Watcher(indexer: indexer, roots: roots, options: options) {
            Self.report($0)
        }
        // SIGINT, SIGTERM and SIGHUP stop the watch after the update in progress
        // (its transaction commits); the exit status is then 128 + the signal.
        let caught = CaughtSignal()
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                caught.set(sig)
                watcher.stop()
            }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        try watcher.run()
        say("stopped watching")
        if let sig = caught.value { throw ExitCode(128 + sig) }
    }

    /// One line per event: progress on standard output, trouble on standard error.
    static func report(_ event: WatchEvent) {
        switch event {
        case .watching(let roots, let folders):
            say("watching \(folders) folder\(folders == 1 ? "" : "s") under \(roots) "
                + "root\(roots == 1 ? "" : "s") (Ctrl-C to stop)")
        case .updated(let report, let full):
            for problem in report.problems { printError("warning: \(problem)") }
            let counts = [
                ("added", report.added + report.duplicates), ("updated", report.updated),
                ("moved", report.moved), ("removed", report.removed), ("failed", report.failed),
            ].filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }
            if full {
                say("rescanned: \(report.scanned) photos, "
                    + (counts.isEmpty ? "no changes" : counts.joined(separator: ", "))
                    + String(format: " (%.1f s)", report.seconds))
            } else if !counts.isEmpty {
                say(counts.joined(separator: ", ") + String(format: " (%.1f s)", report.seconds))
            }
        case .waiting(let message):
            printError("waiting: \(message)")
        case .limitReached(let message):
            printError("warning: \(message)")
        case .rootGone(let root):
            printError("\(RawPath.display(root)) is gone (unmounted or removed); its photos stay "
                + "in the index until it returns")
        case .rootReturned(let root):
            say("\(RawPath.display(root)) is back; rescanning it")
        case .overflow:
            printError("warning: the kernel dropped file events; rescanning every folder")
        case .failed(let message):
            printError("error: \(TerminalSafe.escape(message))")
        }
    }

    /// Writes `picseek-watch.service` for the user's systemd instance.
    private func writeService() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let folder = ServiceUnit.folder(environment: environment) else {
            throw CLIError("no place for the unit: set HOME or XDG_CONFIG_HOME")
        }
        guard let executable = ServiceUnit.executablePath() else {
            throw CLIError("cannot find the picseek executable (/proc/self/exe)")
        }
        var arguments = [executable, "watch"]
        // The database the unit uses must not depend on the service's environment.
        arguments += ["--db", try database.path()]
        if let model { arguments += ["--model", model] }
        for glob in exclude { arguments += ["--exclude", glob] }
        if includeHidden { arguments.append("--include-hidden") }
        if rescanMinutes != 10 { arguments += ["--rescan-minutes", String(rescanMinutes)] }
        if let value = precision.imagePrecision {
            arguments += ["--image-precision", value.rawValue]
        }
        for path in paths {
            arguments.append(String(decoding: try canonicalFolder(path), as: UTF8.self))
        }
        let path = folder + "/" + ServiceUnit.fileName
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true)
            try Data(ServiceUnit.text(arguments: arguments).utf8)
                .write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError(
                "cannot write \(TerminalSafe.escape(path)): \(error.localizedDescription)")
        }
        say("wrote \(TerminalSafe.escape(path))")
        say("start it now and at every login with:")
        say("  systemctl --user daemon-reload")
        say("  systemctl --user enable --now picseek-watch")
        say("its messages: journalctl --user -u picseek-watch")
    }
}

/// The systemd user unit that runs `picseek watch`.
enum ServiceUnit {
    static let fileName = "picseek-watch.service"

    /// `$XDG_CONFIG_HOME/systemd/user`, else `~/.config/systemd/user`.
    static func folder(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return xdg + "/systemd/user"
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/systemd/user"
    }

    /// The running executable's resolved path.
    static func executablePath() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }

    /// The unit file running `arguments` (the executable first).
    static func text(arguments: [String]) -> String {
        """
        [Unit]
        Description=picseek watch: keep the photo index fresh
        Documentation=man:picseek(1)

        [Service]
        Type=exec
        ExecStart=\(arguments.map(quote).joined(separator: " "))
        Restart=on-failure
        RestartSec=30
        Nice=10
        IOSchedulingClass=idle

        [Install]
        WantedBy=default.target

        """
    }

    /// One word of a systemd command line: double-quoted, with `\` and `"` escaped,
    /// `%` doubled (specifiers) and `$` doubled (variable expansion).
    static func quote(_ word: String) -> String {
        var out = "\""
        for character in word {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "%": out += "%%"
            case "$": out += "$$"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out + "\""
    }
}

/// Writes a line to standard output at once (a service's output is a pipe).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// The first stop signal a command received, set from a signal source's queue.
final class CaughtSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var number: Int32?

    /// Records `signal` unless one was recorded already.
    func set(_ signal: Int32) {
        lock.lock()
        if number == nil { number = signal }
        lock.unlock()
    }

    /// The recorded signal, if any.
    var value: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return number
    }
}
