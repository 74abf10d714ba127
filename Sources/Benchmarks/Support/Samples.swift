/// Repeated measurements of one quantity, and the figures the benchmarks print about them.
///
/// Every `picseek bench` subcommand reports medians; this one type computes them (and the
/// minimum and maximum some benches print next to them) so all benches agree on what a
/// median is. An empty set of samples reports 0 for every figure.
public struct Samples: Sendable, Equatable {
    /// The measurements, sorted ascending.
    public let sorted: [Double]

    /// Samples of `values`, in any order.
    public init<S: Sequence>(_ values: S) where S.Element == Double {
        sorted = values.sorted()
    }

    /// Number of measurements.
    public var count: Int { sorted.count }

    /// The middle value; for an even count, the mean of the two middle values.
    public var median: Double {
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The upper of the two middle values for an even count (the middle value for an odd one).
    ///
    /// Always one of the measurements. `bench render`, `bench images` and `bench ocr` have
    /// printed this figure from the start, so it stays theirs: their numbers remain comparable
    /// with the ones recorded in docs/benchmarks.md.
    public var upperMedian: Double {
        sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    /// The smallest measurement.
    public var min: Double { sorted.first ?? 0 }

    /// The largest measurement.
    public var max: Double { sorted.last ?? 0 }
}
