import Foundation

/// Waits until `condition` holds, checking every `interval` seconds, for at most `seconds`.
/// Returns whether it held. Tests use this instead of sleeping a fixed time and then
/// checking: a pass is as fast as the machine, and a feature that never gets there fails.
public func poll(
    seconds: Double, interval: Double = 0.01, _ condition: () throws -> Bool
) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: interval)
    }
    return try condition()
}
