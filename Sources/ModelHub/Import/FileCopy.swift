#if canImport(Glibc)
import Glibc
#endif

/// Puts a copy of a (possibly multi-gigabyte) file at a new path without reading it into
/// memory: a hard link when both are on one file system, else a reflink (`FICLONE`),
/// else a streamed copy through a 4 MiB buffer, fsynced and renamed into place.
enum FileCopy {
    /// How the copy was made.
    enum Method: String { case hardLink = "hard link", reflink, streamed = "streamed copy" }

    /// Copies `source` to `destination` (which must not exist); `allowHardLink` is for
    /// large immutable weights only, small files are always copied.
    @discardableResult
    static func place(_ source: String, at destination: String, allowHardLink: Bool = false) throws -> Method {
        if allowHardLink, link(source, destination) == 0 { return .hardLink }
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw ModelHubError.io(path: source, reason: errnoText(errno)) }
        defer { close(input) }
        let out = try OutputFile(finalPath: destination)
        do {
            // FICLONE = _IOW(0x94, 9, int): share extents on btrfs/xfs.
            let ficlone: UInt = 0x4004_9409
            if ioctl(out.rawDescriptor, ficlone, input) == 0 {
                try out.commit()
                return .reflink
            }
            var buffer = [UInt8](repeating: 0, count: 4 << 20)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ModelHubError.io(path: source, reason: errnoText(errno))
                }
                if n == 0 { break }
                try buffer.withUnsafeBytes { try out.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                try out.flush()
            }
            try out.commit()
            return .streamed
        } catch {
            out.discard()
            throw error
        }
    }
}
