import Cells
import ExplorerRuntime
import Foundation
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// A screen without a terminal: keys are queued by the test (a pipe byte per key
/// makes the runtime's wait see them), frames are kept as text with the clock's
/// time at which they were drawn.
final class FakeScreen: ExplorerScreen, @unchecked Sendable {
    /// One drawn frame.
    struct Frame {
        var lines: [String]
        var time: Double
        var text: String { lines.joined(separator: "\n") }
    }

    private let lock = NSCondition()
    private var keys: [Key] = []
    private var frames: [Frame] = []
    private var raw: [String] = []
    private var rows: Int
    private var columns: Int
    private var ended = false
    private let clock: RuntimeClock
    private let pipeRead: Int32
    private let pipeWrite: Int32

    init(rows: Int, columns: Int, clock: RuntimeClock) {
        self.rows = rows
        self.columns = columns
        self.clock = clock
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) != 0 { fatalError("pipe failed: \(errno)") }
        pipeRead = fds[0]
        pipeWrite = fds[1]
        _ = fcntl(pipeRead, F_SETFL, fcntl(pipeRead, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(pipeRead)
        close(pipeWrite)
    }

    // MARK: The test's side

    /// Queues keys for the runtime.
    func press(_ pressed: Key...) {
        lock.lock()
        keys += pressed
        lock.unlock()
        var bytes = [UInt8](repeating: 1, count: pressed.count)
        _ = write(pipeWrite, &bytes, bytes.count)
    }

    /// Queues the characters of `text` as keys.
    func type(_ text: String) {
        for character in text { press(.character(character)) }
    }

    /// The terminal changes size: the runtime reads a resize key next.
    func resize(rows: Int, columns: Int) {
        lock.lock()
        self.rows = rows
        self.columns = columns
        lock.unlock()
        press(.resize)
    }

    /// Every frame drawn so far, oldest first.
    var drawn: [Frame] {
        lock.lock()
        defer { lock.unlock() }
        return frames
    }

    /// Everything written around ncurses (OSC 52, kitty transmissions), in order.
    var rawWrites: [String] {
        lock.lock()
        defer { lock.unlock() }
        return raw
    }

    /// Whether `end` was called.
    var isEnded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return ended
    }

    /// Waits (real time, at most `seconds`) for a frame that satisfies `condition`;
    /// the first such frame.
    func frame(seconds: Double = 5, where condition: (Frame) -> Bool) -> Frame? {
        let limit = Date().addingTimeInterval(seconds)
        lock.lock()
        defer { lock.unlock() }
        while true {
            if let found = frames.first(where: condition) { return found }
            if !lock.wait(until: limit) { return nil }
        }
    }

    /// Waits for a frame showing `text`.
    func frame(showing text: String, seconds: Double = 5) -> Frame? {
        frame(seconds: seconds) { $0.text.contains(text) }
    }

    // MARK: ExplorerScreen

    var size: (rows: Int, columns: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (rows, columns)
    }

    var colorCount: Int { 256 }
    var colorDepth: ColorDepth { .palette256 }
    var repaintedAll: Bool { false }
    var inputDescriptor: Int32 { pipeRead }

    func enableMouse() {}
    func pushInput(_ bytes: [UInt8]) {}

    func readKey(timeoutMs: Int32) -> Key? {
        lock.lock()
        defer { lock.unlock() }
        guard !keys.isEmpty else { return nil }
        var byte: UInt8 = 0
        _ = read(pipeRead, &byte, 1)
        return keys.removeFirst()
    }

    func draw(_ buffer: CellBuffer) throws -> Int {
        let lines = (0..<buffer.rows).map { row in
            String(
                (0..<buffer.columns).map { buffer[row, $0] }.filter { !$0.isContinuation }
                    .map(\.character))
        }
        let time = clock.now()
        lock.lock()
        frames.append(Frame(lines: lines, time: time))
        lock.broadcast()
        lock.unlock()
        return buffer.rows * buffer.columns
    }

    func invalidate() {}

    func writeRaw(_ text: String) {
        lock.lock()
        raw.append(text)
        lock.unlock()
    }

    func writeRawKeepingCursor(_ bytes: [UInt8]) {
        writeRaw(String(decoding: bytes, as: UTF8.self))
    }

    func end() {
        lock.lock()
        ended = true
        lock.unlock()
    }
}
