import Foundation

/// Where an image tower's batches spend their time, by stage, summed over images: set
/// `VisionTower.profile` to collect (`picseek bench engine --image-profile`). Records wall
/// time and the process's CPU time (all threads, spinning ones included), which a busy
/// machine disturbs less.
public final class ImageProfile: @unchecked Sendable {
    /// The stages in the order of a forward pass.
    public static let stageNames = [
        "patch embedding + ln_pre", "layer norms", "query/key/value", "attention",
        "attention output", "MLP up + activation", "MLP down", "ln_post + projection",
    ]
    /// Wall seconds per stage, in `stageNames` order, summed over `images`.
    public private(set) var seconds = [Double](repeating: 0, count: stageNames.count)
    /// Process CPU seconds per stage, in `stageNames` order, summed over `images`.
    public private(set) var cpuSeconds = [Double](repeating: 0, count: stageNames.count)
    /// Images measured.
    public private(set) var images = 0
    private var last = ContinuousClock.now
    private var lastCPU = 0.0

    /// An empty profile.
    public init() {}

    func start(images count: Int) {
        images += count
        last = .now
        lastCPU = Self.processCPUSeconds()
    }

    func lap(_ stage: Int) {
        let now = ContinuousClock.now, cpu = Self.processCPUSeconds()
        let c = (now - last).components
        seconds[stage] += Double(c.seconds) + Double(c.attoseconds) * 1e-18
        cpuSeconds[stage] += cpu - lastCPU
        last = now
        lastCPU = cpu
    }

    /// CPU time of the whole process (every thread) so far.
    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
