#if canImport(Glibc)
    import Glibc
#endif

/// The explorer runtime's time: what it reads to pace frames, ticks and index
/// checks, and how it waits for keys and worker messages.
///
/// `SystemClock` is the real one; tests give the runtime a clock they advance
/// by hand, so the program loop runs without a terminal and without sleeping.
public protocol RuntimeClock: AnyObject, Sendable {
    /// Seconds on a monotonic scale (only differences mean anything).
    func now() -> Double

    /// Waits until one of `descriptors` is readable or `timeoutMs` milliseconds of
    /// this clock pass.
    ///
    /// Returns the number of readable descriptors (0 when the time ran out, -1 when
    /// a signal interrupted the wait), as `poll` does.
    func wait(for descriptors: [Int32], timeoutMs: Int32) -> Int32
}

/// The monotonic system clock, waiting with `poll`.
public final class SystemClock: RuntimeClock, @unchecked Sendable {
    /// Creates the clock; it has no state.
    public init() {}

    /// Seconds since an arbitrary moment, never going back.
    ///
    /// The corresponding C function is `clock_gettime` with `CLOCK_MONOTONIC`.
    public func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Waits for input on `descriptors` for at most `timeoutMs` milliseconds.
    ///
    /// The corresponding C function is `poll`.
    public func wait(for descriptors: [Int32], timeoutMs: Int32) -> Int32 {
        var fds = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        return poll(&fds, nfds_t(fds.count), timeoutMs)
    }
}
