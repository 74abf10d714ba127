/// Where a text tower's queries spend their time, by stage, summed over queries:
/// set `TextTower.profile` to collect (`picseek bench engine --text-profile`).
public final class TextProfile: @unchecked Sendable {
    /// The stages in the order of a forward pass.
    public static let stageNames = [
        "embeddings + LayerNorm", "query/key/value", "attention", "attention output + LayerNorm",
        "intermediate + GELU", "output + LayerNorm", "pooling + projection",
    ]
    /// Seconds per stage, in `stageNames` order, summed over `queries`.
    public private(set) var seconds = [Double](repeating: 0, count: stageNames.count)
    /// Queries measured.
    public private(set) var queries = 0
    private var last = ContinuousClock.now

    /// An empty profile.
    public init() {}

    func start() {
        queries += 1
        last = .now
    }

    func lap(_ stage: Int) {
        let now = ContinuousClock.now
        let c = (now - last).components
        seconds[stage] += Double(c.seconds) + Double(c.attoseconds) * 1e-18
        last = now
    }
}
