import Foundation

/// A small, fast, seedable random number generator (SplitMix64) for tests that draw
/// random moments or data: a failing run can be replayed with the seed it printed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The seed this generator started from.
    public let seed: UInt64
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// A generator seeded from the environment variable `name` when it holds a number (to
    /// replay a run), else from the system's random source. Print `seed` in the test.
    public static func fromEnvironment(_ name: String = "PICSEEK_TEST_SEED") -> SeededGenerator {
        if let text = ProcessInfo.processInfo.environment[name], let seed = UInt64(text) {
            return SeededGenerator(seed: seed)
        }
        return SeededGenerator(seed: UInt64.random(in: 0...UInt64.max))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
