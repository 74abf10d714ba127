#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files without blocking on special files.
enum FileReader {
    /// Reads the regular file at `path` (at most `limit` bytes). Directories,
    /// FIFOs and devices are refused without being read, so nothing can hang.
    static func contents(of path: String, limit: Int) throws(ImageError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, reason: errnoText()) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(path: path, reason: errnoText()) }
        let kind = st.st_mode & S_IFMT
        if kind == S_IFDIR { throw .unreadable(path: path, reason: "is a directory") }
        guard kind == S_IFREG else { throw .unreadable(path: path, reason: "not a regular file") }
        let size = Int(st.st_size)
        if size == 0 { throw .empty(path: path) }
        guard size <= limit else {
            throw .unreadable(path: path, reason: "file is \(size) bytes, above the limit of \(limit)")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        while done < size {
            let n = bytes.withUnsafeMutableBytes { buf in
                read(fd, buf.baseAddress.map { $0 + done }, size - done)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: errnoText())
            }
            if n == 0 { break }  // the file shrank while being read
            done += n
        }
        if done == 0 { throw .empty(path: path) }
        return done < size ? Array(bytes.prefix(done)) : bytes
    }

    static func errnoText() -> String {
        guard let text = strerror(errno) else { return "error \(errno)" }
        return String(cString: text).lowercased()
    }
}
