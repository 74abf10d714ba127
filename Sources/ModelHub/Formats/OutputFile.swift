#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file being written: buffered writes, `ENOSPC` reported as "disk full",
/// and `commit` = flush + fsync + rename into place, so readers never see half a file.
///
/// The corresponding C functions are `open`, `write`, `fsync` and `rename`.
public final class OutputFile {
    /// The temporary path being written.
    public let tempPath: String
    /// The final path `commit` renames to.
    public let finalPath: String
    /// Bytes written so far (including buffered ones).
    public private(set) var bytesWritten: Int64 = 0
    private var fd: Int32
    /// Pending bytes: a raw buffer filled with memcpy (fast even in debug builds).
    private let buffer: UnsafeMutableRawPointer
    private var buffered = 0
    private let bufferLimit = 1 << 20
    private var done = false

    /// Creates (truncating) `finalPath + ".tmp"`; or, with `append`, opens `tempPath`
    /// for appending (used to resume a download into a `.part` file).
    public init(finalPath: String, tempPath: String? = nil, append: Bool = false) throws {
        self.finalPath = finalPath
        self.tempPath = tempPath ?? finalPath + ".tmp"
        buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        fd = open(self.tempPath, flags, 0o644)
        // All stored properties are set here, so a throw runs deinit, which frees the buffer.
        guard fd >= 0 else { throw OutputFile.error(self.tempPath, errno) }
        if append {
            let end = lseek(fd, 0, SEEK_END)
            bytesWritten = end > 0 ? Int64(end) : 0
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
        buffer.deallocate()
    }

    /// Forgets the bytes counted so far (after the file was truncated to zero).
    func resetCount() {
        buffered = 0
        bytesWritten = 0
    }

    /// The open file descriptor (for `ioctl`, `ftruncate`).
    var rawDescriptor: Int32 { fd }

    /// Appends bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        bytesWritten += Int64(bytes.count)
        if buffered + bytes.count > bufferLimit {
            try flush()
            if bytes.count >= bufferLimit {
                try writeAll(bytes)
                return
            }
        }
        (buffer + buffered).copyMemory(from: source, byteCount: bytes.count)
        buffered += bytes.count
    }

    /// Appends bytes.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Writes buffered bytes to the kernel.
    public func flush() throws {
        guard buffered > 0 else { return }
        let count = buffered
        buffered = 0
        try writeAll(UnsafeRawBufferPointer(start: buffer, count: count))
    }

    /// Flushes, fsyncs and closes the file without renaming it (a resumable `.part`).
    public func closeKeeping() throws {
        try flush()
        if fsync(fd) != 0 { throw OutputFile.error(tempPath, errno) }
        close(fd)
        fd = -1
    }

    /// Flushes, fsyncs, closes and renames the file to `finalPath`, then fsyncs the folder.
    public func commit() throws {
        guard !done else { return }
        if fd >= 0 { try closeKeeping() }
        guard rename(tempPath, finalPath) == 0 else { throw OutputFile.error(finalPath, errno) }
        done = true
        syncDirectory(of: finalPath)
    }

    /// Closes and deletes the temporary file.
    public func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(tempPath)
        done = true
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = Glibc.write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw OutputFile.error(tempPath, errno)
            }
            p += n
            left -= n
        }
    }

    static func error(_ path: String, _ code: Int32) -> ModelHubError {
        code == ENOSPC || code == EDQUOT
            ? .diskFull(path: path) : .io(path: path, reason: errnoText(code))
    }
}

/// fsyncs the folder holding `path`, so a rename inside it survives a crash.
func syncDirectory(of path: String) {
    var folder = path
    if let slash = folder.lastIndex(of: "/") {
        folder = String(folder[..<slash])
    } else {
        folder = "."
    }
    if folder.isEmpty { folder = "/" }
    let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd >= 0 {
        fsync(fd)
        close(fd)
    }
}
