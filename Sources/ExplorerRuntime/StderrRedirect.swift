#if canImport(Glibc)
    import Glibc
#endif

/// Sends stderr to a temporary file while curses owns the screen (so library
/// warnings cannot scribble over it), and prints what was collected after.
public final class StderrRedirect {
    private var saved: Int32 = -1
    private var path: String?

    /// Starts redirecting; on failure stderr stays as it is.
    public init() {
        let folder = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((folder + "/picseek-stderr-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else { return }
        path = template.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { String(cString: $0) }
        }
        fflush(stderr)
        saved = dup(2)
        dup2(fd, 2)
        close(fd)
    }

    /// Restores stderr and writes out what was collected. Safe to call twice.
    public func restore() {
        guard saved >= 0 else { return }
        fflush(stderr)
        dup2(saved, 2)
        close(saved)
        saved = -1
        guard let path else { return }
        if let file = fopen(path, "r") {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = fread(&buffer, 1, buffer.count, file)
                if n <= 0 { break }
                _ = write(2, buffer, n)
            }
            fclose(file)
        }
        unlink(path)
        self.path = nil
    }

    deinit { restore() }
}
