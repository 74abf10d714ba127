import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Turns SIGINT, SIGTERM and SIGHUP into a cancel request for a command that writes the
/// index.
///
/// The indexer finishes the transaction it is in, and the command then exits 130, 143 or
/// 129 (128 + the signal) with the index consistent. A second signal exits at once
/// (committed work is kept either way). Each first signal is announced on standard error.
public final class InterruptHandler: @unchecked Sendable {
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var received: Int32?

    /// The first signal received, if any.
    public var signal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// The exit status of a command this handler stopped (`exitStatus(for:)` of `signal`).
    public var exitStatus: Int32 { Self.exitStatus(for: signal) }

    /// 128 + `signal` (SIGINT 130, SIGTERM 143, SIGHUP 129); 130 when none is known.
    public static func exitStatus(for signal: Int32?) -> Int32 { 128 + (signal ?? SIGINT) }

    /// Ignores the three signals' default action and calls `onInterrupt` at the first one.
    public init(onInterrupt: @escaping () -> Void) {
        for number in Self.signals {
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in
                lock.lock()
                let first = received == nil
                if first { received = number }
                lock.unlock()
                if !first { exit(128 + number) }
                StandardStreams.error("\n\(Self.announcement(for: number))")
                onInterrupt()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// What the first `signal` makes the command say: `interrupted: finishing the current
    /// batch (Ctrl-C again to quit now)` for SIGINT, `terminated: …` and `hung up: …`.
    public static func announcement(for signal: Int32) -> String {
        let name =
            signal == SIGINT
            ? "interrupted" : signal == SIGTERM ? "terminated" : "hung up"
        let again = signal == SIGINT ? " (Ctrl-C again to quit now)" : ""
        return "\(name): finishing the current batch\(again)"
    }

    /// Stops listening and gives the three signals their default action back.
    public func stop() {
        for source in sources { source.cancel() }
        for number in Self.signals { Glibc.signal(number, SIG_DFL) }
    }
}

/// The first stop signal a command received, set from a signal source's queue.
public final class CaughtSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var number: Int32?

    /// An empty record.
    public init() {}

    /// Records `signal` unless one was recorded already.
    public func set(_ signal: Int32) {
        lock.lock()
        if number == nil { number = signal }
        lock.unlock()
    }

    /// The recorded signal, if any.
    public var value: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return number
    }
}

/// SIGINT, SIGTERM and SIGHUP as requests to stop a long-running command (`picseek watch`):
/// their default action is ignored, the first one is recorded in `caught`, and each calls
/// `onSignal` on a Dispatch queue.
public final class StopSignals: @unchecked Sendable {
    /// The first signal received.
    public let caught = CaughtSignal()
    private var sources: [DispatchSourceSignal] = []

    /// Starts listening; `onSignal` gets each signal's number.
    public init(onSignal: @escaping @Sendable (Int32) -> Void) {
        let caught = self.caught
        for number in [SIGINT, SIGTERM, SIGHUP] {
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                caught.set(number)
                onSignal(number)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops listening (the signals stay ignored, as the command is ending).
    public func cancel() {
        for source in sources { source.cancel() }
    }
}
