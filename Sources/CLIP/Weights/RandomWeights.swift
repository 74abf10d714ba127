import Foundation

/// Weights drawn at random in memory, for benchmarks (no file).
///
/// Each requested tensor is created on first request with the requested shape:
/// LayerNorm scales (names ending in `LayerNorm.weight`, `layer_norm*.weight`,
/// `layrnorm.weight`, `layernorm.weight`) are 1, biases and other 1-D tensors small,
/// matrices uniform with standard deviation `std`.
public final class RandomWeights: WeightSource, @unchecked Sendable {
    private let lock = NSLock()
    private var tensors: [String: (shape: [Int], data: UnsafeMutablePointer<Float>)] = [:]
    private var state: UInt64
    private let std: Float

    /// Creates an empty source; `seed` fixes the values.
    public init(seed: UInt64 = 1, std: Float = 0.02) {
        state = seed
        self.std = std
    }

    deinit { for t in tensors.values { t.data.deallocate() } }

    /// Bytes allocated so far.
    public var allocatedBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return tensors.values.reduce(0) { $0 + $1.shape.reduce(1, *) * 4 }
    }

    public func contains(_ name: String) -> Bool { true }

    public func shape(of name: String) -> [Int]? {
        lock.lock()
        defer { lock.unlock() }
        return tensors[name]?.shape
    }

    public func floats(_ name: String, shape: [Int]) throws(WeightsError) -> UnsafePointer<Float> {
        lock.lock()
        defer { lock.unlock() }
        if let t = tensors[name] {
            guard t.shape == shape else {
                throw .wrongShape(
                    name: name, expected: shape, found: t.shape, file: "random weights")
            }
            return UnsafePointer(t.data)
        }
        let count = shape.reduce(1, *)
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        let lower = name.lowercased()
        let isNormScale =
            lower.hasSuffix(".weight")
            && (lower.contains("layernorm") || lower.contains("layer_norm")
                || lower.contains("layrnorm") || lower.contains("ln_"))
        if isNormScale {
            p.initialize(repeating: 1, count: count)
        } else {
            let scale = (shape.count == 1 ? 0.1 * std : std) * Float(3).squareRoot()
            var s = state
            for i in 0..<count {
                s = s &* 6364136223846793005 &+ 1442695040888963407
                p[i] = (Float(s >> 40) / Float(1 << 24) * 2 - 1) * scale
            }
            state = s
        }
        tensors[name] = (shape, p)
        return UnsafePointer(p)
    }
}
