import Foundation

/// Unit vectors for the search benchmarks, made one at a time from their number (so a
/// million need not be held in memory) and the same on every run.
///
/// `random`: uniform on the sphere, queries too. In 512 dimensions every vector is nearly as
/// far from a query as every other: the 10th and 11th nearest are near-ties, the worst case
/// for an approximate search.
///
/// `clustered`: shaped like CLIP image embeddings. 300 clusters of very different sizes
/// (Zipf-like), their centres sharing a common direction (unrelated vectors have a cosine of
/// about 0.25), each cluster spread anisotropically: per dimension by a power law
/// (an embedding's variance sits in a few directions), in its own order of dimensions.
/// Queries stand for text vectors: near a cluster, not on a photo. They are the cluster's
/// centre moved by the cluster's own spread, plus a "modality gap" direction shared by all
/// queries (which lowers every score alike and does not change the order).
public struct SyntheticVectors: Sendable {
    /// The two data sets.
    public enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        case random, clustered
        public var description: String { rawValue }

        /// The data sets named in `text`, comma-separated (`--db-data`).
        public static func list(parsing text: String) throws(SearchBenchError) -> [Kind] {
            try text.split(separator: ",").map { part throws(SearchBenchError) -> Kind in
                let name = part.trimmingCharacters(in: .whitespaces)
                guard let kind = Kind(rawValue: name) else {
                    throw SearchBenchError.notADataSet(name)
                }
                return kind
            }
        }
    }

    /// Which data set.
    public let kind: Kind
    /// Vector length.
    public let dimension: Int
    /// Number of clusters of `clustered`.
    public static let clusters = 300
    private let centres: [Float]
    private let scales: [Float]
    private let gap: [Float]
    /// Cumulative cluster weights, for picking a cluster.
    private let cumulative: [Double]

    /// The data set `kind` of `dimension`-long vectors.
    public init(kind: Kind, dimension: Int) {
        self.kind = kind
        self.dimension = dimension
        var rng = SplitMix(seed: kind == .random ? 3 : 7)
        guard kind == .clustered else {
            centres = []
            scales = []
            gap = []
            cumulative = []
            return
        }
        let k = Self.clusters
        var spectrum = (0..<dimension).map { Float(pow(Double($0 + 1), -0.6)) }
        let length = spectrum.reduce(0) { $0 + $1 * $1 }.squareRoot()
        spectrum = spectrum.map { $0 / length }
        let mean = Self.unit((0..<dimension).map { _ in rng.normal() })
        gap = Self.unit((0..<dimension).map { _ in rng.normal() })
        var centres = [Float]()
        var scales = [Float]()
        for _ in 0..<k {
            let direction = Self.unit((0..<dimension).map { rng.normal() * spectrum[$0] })
            centres += (0..<dimension).map { 0.6 * mean[$0] + 0.8 * direction[$0] }
            var order = Array(0..<dimension)
            for i in stride(from: dimension - 1, to: 0, by: -1) {
                order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
            scales += order.map { 0.7 * spectrum[$0] }
        }
        self.centres = centres
        self.scales = scales
        var sum = 0.0
        cumulative = (0..<k).map { i in
            sum += 1 / (Double(i) + 10)
            return sum
        }
    }

    /// Writes vector number `n` into `out` (`dimension` long).
    public func vector(_ n: Int, into out: inout [Float]) {
        var rng = SplitMix(seed: UInt64(n) &* 0x9E37_79B9 &+ (kind == .random ? 11 : 13))
        if kind == .random {
            for d in 0..<dimension { out[d] = rng.normal() }
        } else {
            let c = cluster(rng.unit())
            for d in 0..<dimension {
                let spread: Float = rng.normal() * scales[c * dimension + d]
                out[d] = centres[c * dimension + d] + spread
            }
        }
        Self.normalise(&out)
    }

    /// Query number `n`.
    public func query(_ n: Int) -> [Float] {
        var rng = SplitMix(seed: UInt64(n) &+ 0xBEEF_0000)
        var out: [Float]
        if kind == .random {
            out = (0..<dimension).map { _ in rng.normal() }
        } else {
            let c = cluster(rng.unit())
            out = [Float](repeating: 0, count: dimension)
            for d in 0..<dimension {
                let spread: Float = 0.8 * rng.normal() * scales[c * dimension + d]
                out[d] = centres[c * dimension + d] + 0.5 * gap[d] + spread
            }
        }
        Self.normalise(&out)
        return out
    }

    private func cluster(_ u: Double) -> Int {
        let target = u * (cumulative.last ?? 1)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < target { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func unit(_ v: [Float]) -> [Float] {
        var out = v
        normalise(&out)
        return out
    }

    private static func normalise(_ v: inout [Float]) {
        let length = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length > 0 else { return }
        for i in v.indices { v[i] /= length }
    }
}

/// Normal draws for the synthetic vectors: the same stream for the same seed everywhere.
extension SplitMix {
    /// A generator for the synthetic vectors: `seed` as its state.
    init(seed: UInt64) { self.init(state: seed) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Float {
        let u = max(unit(), 1e-300)
        let v = unit()
        return Float((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
    }
}
