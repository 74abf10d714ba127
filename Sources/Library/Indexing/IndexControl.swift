import Foundation

/// Pause, resume and cancel for a running index; safe to call from any thread.
public final class IndexControl: @unchecked Sendable {
    private let condition = NSCondition()
    private var paused = false
    private var cancelled = false
    private var holding = 0

    public init() {}

    /// Makes the worker stop at its next file, holding what it has.
    public func pause() {
        condition.lock()
        paused = true
        condition.unlock()
    }

    /// Lets a paused worker go on.
    public func resume() {
        condition.lock()
        paused = false
        condition.broadcast()
        condition.unlock()
    }

    /// Asks the worker to stop; what was committed stays, a later run resumes.
    public func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether `pause()` is in effect.
    public var isPaused: Bool {
        condition.lock()
        defer { condition.unlock() }
        return paused
    }

    /// Whether a worker is waiting at a pause right now: the pause has taken effect.
    public var isHolding: Bool {
        condition.lock()
        defer { condition.unlock() }
        return holding > 0
    }

    /// Whether `cancel()` was called.
    public var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    /// Blocks while paused; returns false once cancelled.
    func proceed() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while paused && !cancelled {
            holding += 1
            condition.wait()
            holding -= 1
        }
        return !cancelled
    }
}
