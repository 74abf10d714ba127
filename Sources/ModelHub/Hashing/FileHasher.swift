#if canImport(Glibc)
import Glibc
#endif
import PicseekCore

/// Streams a file through SHA-256 in 4 MiB reads.
public enum FileHasher {
    /// Returns the file's size and lowercase hex SHA-256.
    public static func sha256(path: String) throws -> (bytes: Int64, hex: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ModelHubError.io(path: path, reason: errnoText(errno)) }
        defer { close(fd) }
        var hasher = SHA256()
        var total: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: 4 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ModelHubError.io(path: path, reason: errnoText(errno))
            }
            if n == 0 { break }
            buffer.withUnsafeBufferPointer { hasher.update(UnsafeBufferPointer(rebasing: $0[0..<n])) }
            total += Int64(n)
        }
        return (total, hasher.finalizeHex())
    }

    /// The size of a file, or nil when it does not exist.
    public static func size(path: String) -> Int64? {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : nil
    }
}
