import Dispatch
import ExplorerRuntime
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A clock that moves only when a test calls `advance`: the runtime's waits end
/// when a descriptor is readable or when the test has moved time past their end,
/// never by themselves.
final class ManualClock: RuntimeClock, @unchecked Sendable {
    private let lock = NSCondition()
    private var time: Double
    private var waiting: (deadline: Double, since: Int)?
    private var waitCount = 0
    /// Written on every `advance`, so a blocked `wait` looks at the time again.
    private let pipeRead: Int32
    private let pipeWrite: Int32

    /// A clock standing at `start` seconds (far from 0, as a monotonic clock is).
    init(start: Double = 1_000) {
        time = start
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) != 0 { fatalError("pipe failed: \(errno)") }
        pipeRead = fds[0]
        pipeWrite = fds[1]
        _ = fcntl(pipeRead, F_SETFL, fcntl(pipeRead, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(pipeRead)
        close(pipeWrite)
    }

    func now() -> Double {
        lock.lock()
        defer { lock.unlock() }
        return time
    }

    /// Moves time forward and wakes a waiting runtime.
    func advance(by seconds: Double) {
        lock.lock()
        time += seconds
        // The loop is no longer settled until it waits again.
        waiting = nil
        lock.unlock()
        var byte: UInt8 = 1
        _ = write(pipeWrite, &byte, 1)
    }

    /// How many waits have started (the loop's turns).
    var waits: Int {
        lock.lock()
        defer { lock.unlock() }
        return waitCount
    }

    /// Blocks until the runtime waits with nothing readable, at least `after` waits
    /// having started; the wait's deadline, or nil when `seconds` of real time pass.
    func settled(after: Int = 0, seconds: Double = 5) -> Double? {
        let limit = Date().addingTimeInterval(seconds)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let waiting, waiting.since > after { return waiting.deadline }
            if !lock.wait(until: limit) { return nil }
        }
    }

    func wait(for descriptors: [Int32], timeoutMs: Int32) -> Int32 {
        lock.lock()
        let deadline = time + Double(timeoutMs) / 1000
        waitCount += 1
        let turn = waitCount
        lock.unlock()
        var fds = (descriptors + [pipeRead]).map {
            pollfd(fd: $0, events: Int16(POLLIN), revents: 0)
        }
        while true {
            // Anything readable already? Then this is no idle wait.
            let ready = poll(&fds, nfds_t(fds.count), 0)
            let readable = fds.dropLast().filter { $0.revents != 0 }.count
            if ready < 0 { return ready }
            if readable > 0 { return Int32(readable) }
            var sink = [UInt8](repeating: 0, count: 64)
            while read(pipeRead, &sink, sink.count) > 0 {}
            lock.lock()
            if time >= deadline {
                lock.unlock()
                return 0
            }
            waiting = (deadline, turn)
            lock.broadcast()
            lock.unlock()
            for i in fds.indices { fds[i].revents = 0 }
            let woke = poll(&fds, nfds_t(fds.count), -1)
            lock.lock()
            waiting = nil
            lock.unlock()
            if woke < 0 { return woke }
        }
    }
}
