#if canImport(Glibc)
    import Glibc
#endif

/// The wake pipe's write end for the signal handler (set while trapped).
nonisolated(unsafe) private var trapWakeFD: Int32 = -1
/// The quit signal caught (0: none). Set by the handler; read by the UI loop.
nonisolated(unsafe) private var trapCaught: sig_atomic_t = 0
/// The SIGWINCH handler that was installed before ours (ncurses' own).
nonisolated(unsafe) private var previousWinch = sigaction()

/// SIGINT, SIGTERM and SIGHUP while the explorer runs: the handler only sets a
/// flag and writes one byte to the wake pipe; the UI loop then leaves through
/// its normal path, which restores the terminal. SIGWINCH is passed on to
/// ncurses' handler (which makes the next read return KEY_RESIZE) and also
/// wakes the UI loop, so a resize is drawn at once.
final class SignalTrap {
    private static let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var previous: [Int32: sigaction] = [:]

    init(wakeFD: Int32) {
        trapWakeFD = wakeFD
        trapCaught = 0
        for signal in Self.quitSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                trapCaught = signal
                var byte: UInt8 = 2
                _ = write(trapWakeFD, &byte, 1)
            }
            install(signal, &action)
        }
        sigaction(SIGWINCH, nil, &previousWinch)
        var winch = sigaction()
        winch.__sigaction_handler.sa_handler = { signal in
            let chained = previousWinch.__sigaction_handler.sa_handler
            if let chained, unsafeBitCast(chained, to: Int.self) > 1 { // not SIG_DFL/SIG_IGN
                chained(signal)
            }
            var byte: UInt8 = 3
            _ = write(trapWakeFD, &byte, 1)
        }
        install(SIGWINCH, &winch)
    }

    private func install(_ signal: Int32, _ action: inout sigaction) {
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var old = sigaction()
        sigaction(signal, &action, &old)
        previous[signal] = old
    }

    /// Whether a quit signal arrived.
    var caught: Bool { trapCaught != 0 }

    /// The quit signal that arrived, if any.
    var signal: Int32? { trapCaught != 0 ? Int32(trapCaught) : nil }

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
