#if canImport(Glibc)
import Glibc
#endif

/// The wake pipe's write end for the signal handler (set while trapped).
nonisolated(unsafe) private var trapWakeFD: Int32 = -1
/// Set by the handler; read by the UI loop.
nonisolated(unsafe) private var trapCaught: sig_atomic_t = 0

/// SIGINT, SIGTERM and SIGHUP while the explorer runs: the handler only sets a
/// flag and writes one byte to the wake pipe; the UI loop then leaves through
/// its normal path, which restores the terminal.
final class SignalTrap {
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var previous: [Int32: sigaction] = [:]

    init(wakeFD: Int32) {
        trapWakeFD = wakeFD
        trapCaught = 0
        for signal in Self.signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                trapCaught = 1
                var byte: UInt8 = 2
                _ = write(trapWakeFD, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[signal] = old
        }
    }

    /// Whether a trapped signal arrived.
    var caught: Bool { trapCaught != 0 }

    /// Puts the previous handlers back.
    func restore() {
        for (signal, old) in previous {
            var action = old
            sigaction(signal, &action, nil)
        }
        previous.removeAll()
        trapWakeFD = -1
    }

    deinit { restore() }
}
