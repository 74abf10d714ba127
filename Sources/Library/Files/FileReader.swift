import PicseekCore
import Store
#if canImport(Glibc)
import Glibc
#endif

/// Reads whole files by raw path with POSIX calls.
public enum FileReader {
    /// Reads the file and returns its bytes with the size and mtime of the
    /// open file (`fstat`), so the stamp always matches the bytes read.
    public static func read(_ path: [UInt8], limit: Int64) throws(FileError) -> ([UInt8], FileStamp) {
        // A file being copied or saved changes under us: read it again a few times, then
        // give up (the photo is recorded as failed, and retried once its size or date change).
        var attempt = 0
        while true {
            if let result = try readOnce(path, limit: limit) { return result }
            attempt += 1
            if attempt >= retries { throw .changedWhileReading(path: path) }
            usleep(UInt32(retryDelayMicroseconds))
        }
    }

    /// Reads of a file that keeps changing before it is recorded as failed.
    static let retries = 3
    static let retryDelayMicroseconds = 200_000

    /// The bytes and stamp, or nil when the file changed (size, date) while being read.
    private static func readOnce(
        _ path: [UInt8], limit: Int64
    ) throws(FileError) -> ([UInt8], FileStamp)? {
        let fd = RawPath.withCString(path) { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw .system(path: path, operation: "open", code: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .system(path: path, operation: "stat", code: errno) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw .wrongKind(path: path, expected: "a regular file")
        }
        let size = Int64(st.st_size)
        guard size <= limit else { throw .tooLarge(path: path, size: size, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buf in
                Glibc.read(fd, buf.baseAddress! + filled, buf.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system(path: path, operation: "read", code: errno)
            }
            if n == 0 { break }  // the file shrank while we read it
            filled += n
        }
        var after = stat()
        guard fstat(fd, &after) == 0 else {
            throw .system(path: path, operation: "stat", code: errno)
        }
        if filled < bytes.count || after.st_size != st.st_size || mtimeNs(after) != mtimeNs(st) {
            return nil
        }
        let stamp = FileStamp(path: path, size: Int64(filled), mtimeNs: mtimeNs(st))
        return (bytes, stamp)
    }

    /// Modification time of a `stat` result in nanoseconds.
    static func mtimeNs(_ st: stat) -> Int64 {
        Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
    }
}
