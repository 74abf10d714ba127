import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Runs jobs one at a time on a background queue, keeping only the newest
/// job that has not started: while the user types, superseded queries are
/// never embedded. A short debounce lets a burst of keys collapse into one job.
final class LatestJobSlot: @unchecked Sendable {
    private let queue: DispatchQueue
    private let lock = DispatchSemaphore(value: 1)
    private var pending: (@Sendable () -> Void)?
    private var running = false
    private let debounceMs: Int

    init(label: String, debounceMs: Int) {
        queue = DispatchQueue(label: label)
        self.debounceMs = debounceMs
    }

    /// Replaces any waiting job with `job`.
    func submit(_ job: @escaping @Sendable () -> Void) {
        lock.wait()
        pending = job
        let start = !running
        running = true
        lock.signal()
        if start { queue.async { self.drain() } }
    }

    private func drain() {
        while true {
            if debounceMs > 0 { usleep(UInt32(debounceMs * 1000)) }
            lock.wait()
            guard let job = pending else {
                running = false
                lock.signal()
                return
            }
            pending = nil
            lock.signal()
            job()
        }
    }
}
