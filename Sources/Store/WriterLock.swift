import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (`flock`) on `<db>.lock`, held by the one
/// process allowed to write the index.
///
/// The kernel drops the lock when the process dies, even by `kill -9`, so a
/// crash never leaves a stale lock behind. Readers never take it.
public final class WriterLock {
    private var fd: Int32
    /// The lock file's path.
    public let path: String

    /// Takes the lock, or throws `StoreError.busy` naming the holder's process
    /// id when another writer has it.
    /// The corresponding C function is `flock`.
    public static func acquire(path: String) throws -> WriterLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError.lockFile(path: path, reason: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            let holder = readPID(fd)
            close(fd)
            if code == EWOULDBLOCK {
                throw StoreError.busy(lockPath: path, holderPID: holder)
            }
            throw StoreError.lockFile(path: path, reason: String(cString: strerror(code)))
        }
        // Record our pid for the message a second indexer prints.
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return WriterLock(fd: fd, path: path)
    }

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Releases the lock; also done on deinit.
    public func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }
}
