#if canImport(Glibc)
    import Glibc
#endif

/// The clocks and resource figures the benchmarks read besides wall time.
///
/// On a shared machine the CPU time of the measuring thread shows a kernel's own cost next to
/// the wall time, which includes waiting for a core.
public enum BenchClock {
    /// CPU time of the calling thread in nanoseconds (0 if the clock cannot be read).
    ///
    /// The corresponding C function is `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`.
    public static func threadCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return 0 }
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// CPU time of the calling thread in milliseconds.
    public static func threadCPUMilliseconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1e3 + Double(spec.tv_nsec) / 1e6
    }

    /// Monotonic time in seconds, from an arbitrary origin.
    ///
    /// The corresponding C function is `clock_gettime(CLOCK_MONOTONIC)`.
    public static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// User + system CPU time of the process so far (all threads), in seconds.
    ///
    /// The corresponding C function is `getrusage(RUSAGE_SELF)`.
    public static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }

    /// Peak resident set size of the process in bytes.
    ///
    /// The corresponding C function is `getrusage(RUSAGE_SELF)` (`ru_maxrss`).
    public static func peakRSSBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}
