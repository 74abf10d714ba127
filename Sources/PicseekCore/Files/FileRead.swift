#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a file could not be read by `FileRead`.
///
/// Paths are raw bytes (file names need not be UTF-8); `description` escapes them with
/// `TerminalSafe.escape`. Modules map these cases onto their own error types.
public enum FileReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call (`operation`: open, stat, read) failed with `code` (errno).
    case system(path: [UInt8], operation: String, code: Int32)
    /// The path is a directory, FIFO, device or socket, refused without being read.
    case notRegular(path: [UInt8], kind: FileKind)
    /// The file is larger than the caller's limit.
    case tooLarge(path: [UInt8], size: Int64, limit: Int64)

    /// What a path that is not a regular file is.
    public enum FileKind: String, Sendable {
        case directory, fifo, characterDevice = "character device", blockDevice = "block device"
        case socket, other = "special file"
    }

    /// The path named in the error.
    public var path: [UInt8] {
        switch self {
        case .system(let path, _, _), .notRegular(let path, _), .tooLarge(let path, _, _):
            return path
        }
    }

    /// The message without the path.
    public var reason: String {
        switch self {
        case .system(_, let operation, let code):
            return "cannot \(operation): \(FileRead.errorText(code))"
        case .notRegular(_, let kind):
            return "is a \(kind.rawValue), not a regular file"
        case .tooLarge(_, let size, let limit):
            return "file is \(size) bytes, above the limit of \(limit)"
        }
    }

    public var description: String { TerminalSafe.escape(bytes: path) + ": " + reason }
}

/// Reads of regular files with POSIX calls: one open, stat and read loop for every module.
///
/// Files are opened with `O_NONBLOCK` and checked with `fstat` before any read, so a FIFO,
/// a device or a directory given where a photo or a model file is expected fails at once
/// with `FileReadError.notRegular` instead of blocking. The corresponding C functions are
/// `open`, `fstat` and `read`.
public enum FileRead {
    /// A whole file and what `fstat` said of it when it was opened.
    public struct Contents: Sendable, Equatable {
        /// The bytes read (fewer than `size` when the file shrank while it was read).
        public var bytes: [UInt8]
        /// The size in bytes when the file was opened.
        public var size: Int64
        /// The modification time in nanoseconds when the file was opened.
        public var mtimeNs: Int64
        /// Whether the size or modification time changed while the file was read, or it
        /// ended early.
        public var changedWhileReading: Bool
    }

    /// Reads the whole regular file at `path`, at most `limit` bytes.
    ///
    /// Interrupted reads (`EINTR`) are retried; a file that shrinks while it is read
    /// yields the bytes that were there, with `changedWhileReading` set.
    public static func contents(
        of path: [UInt8], limit: Int64
    ) throws(FileReadError) -> Contents {
        let file = try OpenFile(path)
        defer { file.release() }
        let info = file.info
        let size = Int64(info.st_size)
        guard size <= limit else { throw .tooLarge(path: path, size: size, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        let filled = try file.readFully(into: &bytes, count: bytes.count)
        var after = stat()
        guard fstat(file.fd, &after) == 0 else {
            throw .system(path: path, operation: "stat", code: errno)
        }
        let changed =
            filled < bytes.count || after.st_size != info.st_size
            || mtimeNs(after) != mtimeNs(info)
        if filled < bytes.count { bytes.removeSubrange(filled...) }
        return Contents(
            bytes: bytes, size: size, mtimeNs: mtimeNs(info), changedWhileReading: changed)
    }

    /// Reads the whole regular file at `path` (a string path), at most `limit` bytes.
    public static func contents(of path: String, limit: Int64) throws(FileReadError) -> Contents {
        try contents(of: Array(path.utf8), limit: limit)
    }

    /// Reads the regular file at `path` in chunks of at most `chunkSize` bytes, handing each
    /// to `body` in order, for files too large to hold (hashing, copying). Returns the
    /// number of bytes read. Errors thrown by `body` reach the caller unchanged.
    public static func forEachChunk(
        of path: String, chunkSize: Int = 1 << 20,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int64 {
        let file = try OpenFile(Array(path.utf8))
        defer { file.release() }
        var buffer = [UInt8](repeating: 0, count: max(1, chunkSize))
        var total: Int64 = 0
        while true {
            let n = try file.readFully(into: &buffer, count: buffer.count)
            if n == 0 { return total }
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            total += Int64(n)
            if n < buffer.count { return total }
        }
    }

    /// Opens the regular file at `path` read-only and hands its descriptor and `fstat` to
    /// `body` (to map it, or to clone it), closing it afterwards. Errors thrown by `body`
    /// reach the caller unchanged.
    public static func withOpenFile<T>(
        _ path: String, _ body: (_ fd: Int32, _ info: stat) throws -> T
    ) throws -> T {
        let file = try OpenFile(Array(path.utf8))
        defer { file.release() }
        return try body(file.fd, file.info)
    }

    /// Modification time of a `stat` result in nanoseconds.
    public static func mtimeNs(_ info: stat) -> Int64 {
        #if canImport(Darwin)
            Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
            Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
    }

    /// The C library's text for an `errno` value, lowercased ("no such file or directory").
    public static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text).lowercased()
    }
}

/// An open regular file: descriptor and the `fstat` taken right after opening.
private struct OpenFile {
    let path: [UInt8]
    let fd: Int32
    let info: stat

    init(_ path: [UInt8]) throws(FileReadError) {
        self.path = path
        var z = path.map { CChar(bitPattern: $0) }
        z.append(0)
        let fd = z.withUnsafeBufferPointer { buf -> Int32 in
            guard let name = buf.baseAddress else { return -1 }
            return open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        }
        guard fd >= 0 else { throw .system(path: path, operation: "open", code: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            _ = close(fd)
            throw .system(path: path, operation: "stat", code: code)
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else {
            _ = close(fd)
            throw .notRegular(path: path, kind: Self.kind(kind))
        }
        self.fd = fd
        self.info = info
    }

    static func kind(_ mode: mode_t) -> FileReadError.FileKind {
        switch mode {
        case S_IFDIR: return .directory
        case S_IFIFO: return .fifo
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFSOCK: return .socket
        default: return .other
        }
    }

    /// Reads until `count` bytes are in `buffer` or the file ends; returns how many.
    func readFully(into buffer: inout [UInt8], count: Int) throws(FileReadError) -> Int {
        var filled = 0
        while filled < count {
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return read(fd, base + filled, count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(path: path, operation: "read", code: errno)
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// Closes the descriptor.
    func release() { _ = close(fd) }
}
