import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A command running in a detached tmux session of a given size: send keys,
/// capture the pane's text, kill it. For end-to-end runs of the real binary.
///
/// Each session uses its own tmux server socket (`-L`), so tests never touch
/// a user's tmux sessions.
final class TmuxSession {
    let name: String
    private let socket: String

    /// Whether tmux is installed.
    static var isAvailable: Bool { (try? run(["-V"], socket: nil)) != nil }

    /// Starts `command` (an argument vector, quoted for tmux's shell) in a
    /// new session of `rows` x `columns`, with `environment` added.
    init(command: [String], rows: Int, columns: Int, environment: [String: String] = [:]) throws {
        name = "picseek-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        socket = name
        var arguments = [
            "new-session", "-d", "-s", name, "-x", String(columns), "-y", String(rows),
        ]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
            arguments += ["-e", "\(key)=\(value)"]
        }
        arguments.append(command.map(Self.shellQuote).joined(separator: " "))
        // In the same invocation, so it applies before the command can exit:
        // keep the pane afterwards, so its last screen can be read.
        arguments += [";", "set-option", "-t", name, "remain-on-exit", "on"]
        try Self.run(arguments, socket: socket)
    }

    /// Sends keys in tmux's key syntax ("Enter", "C-c", "Escape") or literal text.
    func send(keys: [String]) throws {
        try Self.run(["send-keys", "-t", name] + keys, socket: socket)
    }

    /// Sends literal text (no key-name lookup).
    func send(text: String) throws {
        try Self.run(["send-keys", "-t", name, "-l", text], socket: socket)
    }

    /// The pane's visible text, one line per row; with `history`, the
    /// scrolled-off lines too, and wrapped lines joined.
    func capture(history: Bool = false) throws -> String {
        let extra = history ? ["-J", "-S", "-"] : []
        return try Self.run(["capture-pane", "-p"] + extra + ["-t", name], socket: socket)
    }

    /// Captures until `text` appears or `seconds` pass; returns the last capture.
    func waitFor(
        _ text: String, history: Bool = false, seconds: Double = 10
    ) throws -> (found: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(seconds)
        var screen = ""
        repeat {
            screen = try capture(history: history)
            if screen.contains(text) { return (true, screen) }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        return (false, screen)
    }

    /// Whether the pane's command has exited.
    func isDead() throws -> Bool {
        try Self.run(["display-message", "-p", "-t", name, "#{pane_dead}"], socket: socket)
            .trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Ends the session and its tmux server.
    func kill() {
        _ = try? Self.run(["kill-server"], socket: socket)
    }

    deinit { kill() }

    /// Runs `tmux [-L socket] arguments` with posix_spawnp and waitpid.
    /// Output goes to a temporary file (a command that starts the tmux server
    /// must not hand the server a pipe we read to its end).
    @discardableResult
    private static func run(_ arguments: [String], socket: String?) throws -> String {
        let argv = ["tmux"] + (socket.map { ["-L", $0] } ?? []) + arguments
        let outputPath =
            NSTemporaryDirectory() + "picseek-tmux-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(
            &actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArguments.append(nil)
        defer { for pointer in cArguments { free(pointer) } }
        // Test threads block most signals; the tmux server must not inherit
        // that mask (it needs SIGCHLD and SIGTERM).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, cArguments, environ)
        guard spawned == 0 else {
            throw TmuxError.failed(arguments: arguments, output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard status == 0 else { throw TmuxError.failed(arguments: arguments, output: text) }
        return text
    }

    private static func shellQuote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A tmux command failed.
enum TmuxError: Error, CustomStringConvertible {
    case failed(arguments: [String], output: String)

    var description: String {
        switch self {
        case .failed(let arguments, let output):
            return "tmux \(arguments.joined(separator: " ")) failed: \(output)"
        }
    }
}
