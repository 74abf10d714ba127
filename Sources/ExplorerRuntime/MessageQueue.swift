import Dispatch
import Explorer

#if canImport(Glibc)
    import Glibc
#endif

/// Messages posted by worker threads for the UI thread, with a self-pipe that
/// wakes the UI thread's `poll`.
final class MessageQueue: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var messages: [Msg] = []
    /// Read end of the wake pipe (the UI thread polls it).
    let wakeRead: Int32
    /// Write end of the wake pipe (workers and signal handlers write a byte).
    let wakeWrite: Int32

    init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw ExploreError.system("pipe", errno) }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// Adds a message and wakes the UI thread.
    func post(_ msg: Msg) {
        lock.wait()
        messages.append(msg)
        lock.signal()
        wake()
    }

    /// Wakes the UI thread without a message.
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Empties the wake pipe and returns every pending message, oldest first.
    func takeAll() -> [Msg] {
        var sink = [UInt8](repeating: 0, count: 256)
        while read(wakeRead, &sink, sink.count) > 0 {}
        lock.wait()
        defer { lock.signal() }
        let out = messages
        messages.removeAll()
        return out
    }
}

/// Failures of the explorer's runtime (not of the index).
enum ExploreError: Error, CustomStringConvertible {
    case system(String, Int32)

    var description: String {
        switch self {
        case .system(let call, let code):
            return "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
