import CNCurses
import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// A pseudo-terminal pair: the program side (`slave`, a `FILE*`) and the
/// controlling side (`master`) that a test reads the output from.
public final class PseudoTerminal {
    /// File descriptor of the controlling side.
    public let master: Int32
    /// The terminal side as a stream, for `Screen(output:input:)`.
    public let slave: UnsafeMutablePointer<FILE>

    /// Opens a pair whose window size is `rows` x `columns`.
    public init(rows: Int, columns: Int) throws {
        var m: Int32 = -1
        var s: Int32 = -1
        guard cnc_open_pty(&m, &s, UInt16(rows), UInt16(columns)) == 0 else {
            throw TerminalError.call("posix_openpt")
        }
        guard let file = fdopen(s, "r+") else {
            close(m)
            close(s)
            throw TerminalError.call("fdopen")
        }
        master = m
        slave = file
    }

    deinit {
        stopCapture()
        fclose(slave)
        close(master)
    }

    private let captureLock = DispatchSemaphore(value: 1)
    private var captured: [UInt8] = []
    private var capturing = false
    private var captureDone: DispatchSemaphore?

    /// Starts reading the controlling side on a background thread, so a
    /// program drawing large frames never blocks on a full pty buffer;
    /// `drain` then returns what was collected.
    public func startCapture() {
        captureLock.wait()
        defer { captureLock.signal() }
        guard !capturing else { return }
        capturing = true
        let done = DispatchSemaphore(value: 0)
        captureDone = done
        let fd = master
        DispatchQueue.global().async { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            while true {
                captureLock.wait()
                let keepGoing = capturing
                captureLock.signal()
                guard keepGoing else { break }
                guard poll(&poller, 1, 20) > 0 else { continue }
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                captureLock.wait()
                captured += buffer[0..<n]
                captureLock.signal()
            }
            done.signal()
        }
    }

    /// Stops the background reader started by `startCapture`.
    public func stopCapture() {
        captureLock.wait()
        let wasCapturing = capturing
        capturing = false
        let done = captureDone
        captureDone = nil
        captureLock.signal()
        if wasCapturing { done?.wait() }
    }

    /// Reads what the program side wrote, until nothing new arrives for
    /// `timeoutMs`.
    public func drain(timeoutMs: Int32 = 200) -> [UInt8] {
        captureLock.wait()
        let isCapturing = capturing
        captureLock.signal()
        if isCapturing {
            var last = -1
            while true {
                captureLock.wait()
                let count = captured.count
                captureLock.signal()
                if count == last { break }
                last = count
                usleep(UInt32(timeoutMs) * 1000)
            }
            captureLock.wait()
            defer { captureLock.signal() }
            let out = captured
            captured.removeAll()
            return out
        }
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        while poll(&poller, 1, timeoutMs) > 0 {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            out += buffer[0..<n]
        }
        return out
    }
}

extension PseudoTerminal {
    /// Writes `text` to the controlling side, as if typed.
    public func write(_ text: String) {
        let bytes = Array(text.utf8)
        let total = bytes.count
        var offset = 0
        while offset < total {
            let start = offset
            let n = bytes.withUnsafeBytes { raw in
                Glibc.write(master, raw.baseAddress.map { $0 + start }, total - start)
            }
            if n <= 0 { break }
            offset += n
        }
    }

    /// Changes the window size the program side sees.
    public func setSize(rows: Int, columns: Int) {
        var size = winsize(
            ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(fileno(slave), UInt(TIOCSWINSZ), &size)
    }

    /// Whether the program side is in canonical ("cooked") mode with echo,
    /// as a shell expects it after a full-screen program exits.
    public var isCooked: Bool {
        var modes = termios()
        guard tcgetattr(fileno(slave), &modes) == 0 else { return false }
        return modes.c_lflag & tcflag_t(ICANON) != 0 && modes.c_lflag & tcflag_t(ECHO) != 0
    }
}
