import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Opens files in the system viewer: `xdg-open PATH` started with an argument
/// vector through `posix_spawnp` (never a shell), its output sent to
/// /dev/null so it cannot draw over the explorer.
public struct Opener {
    /// The program and leading arguments; the path is appended.
    public var command: [String] = ["xdg-open"]

    /// An opener running `command` (the program first) with the path appended.
    public init(command: [String] = ["xdg-open"]) {
        self.command = command
    }

    /// glibc's POSIX_SPAWN_SETSID (not exported to Swift by the Glibc module).
    static let spawnSetsid: Int32 = 0x80

    /// Starts the viewer; failures to start are thrown, a non-zero exit is
    /// reported later through `onExit` (from a background thread).
    /// `path` is the file's path as stored, byte for byte (it need not be UTF-8).
    public func open(_ path: [UInt8], onExit: @escaping @Sendable (String) -> Void) throws {
        guard let program = command.first else { return }
        let shownPath = String(decoding: path, as: UTF8.self)
        guard !path.contains(0) else { throw OpenerError.badPath(shownPath) }
        if let root = Self.unmountedRoot(path) {
            throw OpenerError.notMounted(root: root, path: shownPath)
        }
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) }
        argv.append(Self.cString(path))
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own session: Ctrl-C in the explorer does not reach the viewer.
        // And the default signal mask, whichever thread starts it.
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetsid | POSIX_SPAWN_SETSIGMASK))
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, program, &actions, &attributes, argv, environ)
        guard result == 0 else {
            if result == ENOENT {
                throw OpenerError.notFound(program: program)
            }
            throw OpenerError.spawn(program: program, message: String(cString: strerror(result)))
        }
        let name = program
        let child = pid
        DispatchQueue.global().async {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0, errno == EINTR {}
            let exited = status & 0x7F == 0
            let code = (status >> 8) & 0xFF
            if !exited || code != 0 {
                onExit("\(name) failed (exit status \(exited ? code : -1)) for \(shownPath)")
            }
        }
    }

    /// The root name of a photo whose named root is not mounted on this machine: the index
    /// hands its path over as `name:relative` instead of an absolute path.
    static func unmountedRoot(_ path: [UInt8]) -> String? {
        guard let first = path.first, first != UInt8(ascii: "/"),
            let colon = path.firstIndex(of: UInt8(ascii: ":")), colon > 0,
            !path[..<colon].contains(UInt8(ascii: "/"))
        else { return nil }
        return String(decoding: path[..<colon], as: UTF8.self)
    }

    /// A malloc'ed NUL-terminated copy of `bytes`, freed like `strdup`'s result.
    private static func cString(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar>? {
        guard let buffer = malloc(bytes.count + 1)?.assumingMemoryBound(to: CChar.self) else {
            return nil
        }
        bytes.withUnsafeBufferPointer { source in
            for (i, byte) in source.enumerated() { buffer[i] = CChar(bitPattern: byte) }
        }
        buffer[bytes.count] = 0
        return buffer
    }
}

/// Why the viewer could not be started.
public enum OpenerError: Error, CustomStringConvertible {
    /// The viewer program is not installed.
    case notFound(program: String)
    /// `posix_spawnp` failed for another reason.
    case spawn(program: String, message: String)
    /// The stored path cannot be passed as an argument.
    case badPath(String)
    /// The photo's named root is not mounted on this machine.
    case notMounted(root: String, path: String)

    /// The message shown in the status line.
    public var description: String {
        switch self {
        case .notFound(let program):
            return "cannot open the photo: \(program) not found (install xdg-utils)"
        case .spawn(let program, let message):
            return "cannot start \(program): \(message)"
        case .badPath(let path):
            return "cannot open \(path): the stored path contains a NUL byte"
        case .notMounted(let root, let path):
            return "cannot open \(path): the root \(root) is not mounted on this machine "
                + "(picseek index --root-name \(root) FOLDER records where it is)"
        }
    }
}
