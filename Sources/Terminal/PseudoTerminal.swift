#if canImport(Glibc)
import Glibc
#endif
import CNCurses

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
        fclose(slave)
        close(master)
    }

    /// Reads what the program side wrote, waiting up to `timeoutMs` for each chunk.
    public func drain(timeoutMs: Int32 = 200) -> [UInt8] {
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
