import Cells
import Explorer
import ExplorerRuntime
import Foundation
import Testing

/// The runtime loop on a fake screen with a clock the test moves: keys in,
/// frames out, without a terminal and without sleeping.
final class LoopHarness: @unchecked Sendable {
    let clock = ManualClock()
    let screen: FakeScreen
    let backend: TestBackend
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<ExplorerRuntime.Outcome, Error>?

    init(
        rows: Int = 24, columns: Int = 90, backend: TestBackend = TestBackend(names: names),
        options: ExplorerOptions = ExplorerOptions()
    ) throws {
        screen = FakeScreen(rows: rows, columns: columns, clock: clock)
        self.backend = backend
        var options = options
        options.clock = clock
        options.trapSignals = false
        options.debounceMs = 0
        options.opener = Opener(command: ["picseek-test-no-such-viewer"])
        let runtime = try ExplorerRuntime(backend: backend, options: options)
        let thread = Thread { [self] in
            let outcome = Result { try runtime.run(screen: screen) }
            lock.lock()
            result = outcome
            lock.unlock()
            finished.signal()
        }
        thread.start()
    }

    static let names = ["cat.jpg", "dog.jpg", "海边.jpg", "sunset.jpg", "cat2.jpg"]

    /// Moves the clock a frame at a time, whenever the loop is idle, until the
    /// screen shows `text` (the last frame drawn, or a later one; at most `seconds`
    /// of real time); that frame.
    @discardableResult
    func until(_ text: String, seconds: Double = 10) -> FakeScreen.Frame? {
        until(seconds: seconds) { $0.text.contains(text) }
    }

    /// Moves the clock a frame at a time until the screen shows a frame that
    /// satisfies `condition`.
    @discardableResult
    func until(
        seconds: Double = 10, _ condition: (FakeScreen.Frame) -> Bool
    ) -> FakeScreen.Frame? {
        let limit = Date().addingTimeInterval(seconds)
        let from = max(0, screen.drawn.count - 1)
        while Date() < limit {
            if let found = screen.drawn.dropFirst(from).first(where: condition) { return found }
            guard clock.settled(seconds: 0.5) != nil else { continue }
            if let found = screen.drawn.dropFirst(from).first(where: condition) { return found }
            clock.advance(by: 0.02)
        }
        return nil
    }

    /// Moves the clock a frame at a time until the loop waits idle (nothing left
    /// to draw, nothing running); false if it does not within `seconds` of real time.
    func idle(seconds: Double = 10) -> Bool {
        let limit = Date().addingTimeInterval(seconds)
        while Date() < limit {
            guard let deadline = clock.settled(seconds: 0.5) else { continue }
            if deadline - clock.now() >= 0.5 { return true }
            clock.advance(by: 0.02)
        }
        return false
    }

    /// Moves the clock by `seconds` and waits until the loop waits again; the new
    /// wait's deadline (nil if the loop did not come back to wait).
    func step(by seconds: Double) -> Double? {
        let turns = clock.waits
        clock.advance(by: seconds)
        return clock.settled(after: turns)
    }

    /// Waits for `run` to return (real time); its outcome.
    func outcome(seconds: Int = 5) throws -> ExplorerRuntime.Outcome? {
        guard finished.wait(timeout: .now() + .seconds(seconds)) == .success else { return nil }
        finished.signal()
        lock.lock()
        defer { lock.unlock() }
        return try result?.get()
    }

    /// Leaves with Ctrl-C unless the loop already ended.
    func stop() {
        screen.press(.control("c"))
        _ = try? outcome()
    }
}

@Suite("explorer runtime loop with a fake screen and a hand-moved clock")
struct RuntimeLoopTests {
    @Test("a key typed right after a frame is drawn only once a 60th of a second has passed")
    func framesFollowTheClock() throws {
        let harness = try LoopHarness()
        defer { harness.stop() }
        try #require(harness.until("5 photos") != nil)
        try #require(harness.idle())
        let before = harness.screen.drawn
        let turns = harness.clock.waits
        let now = harness.clock.now()
        harness.screen.press(.character("q"), .character("z"), .character("q"))
        // The loop took the keys and waits again, for the end of the frame interval.
        let deadline = try #require(harness.clock.settled(after: turns))
        #expect(deadline - now <= 1.0 / 60 + 1e-9)
        // The clock has not moved since the last frame: nothing new was drawn.
        #expect(harness.screen.drawn.count == before.count)
        #expect(!before.contains { $0.text.contains("qzq") })
        harness.clock.advance(by: 1.0 / 60 + 0.001)
        let frame = try #require(harness.screen.frame(showing: "qzq"))
        let last = try #require(before.last)
        #expect(frame.time - last.time >= 1.0 / 60)
        let times = harness.screen.drawn.map(\.time)
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 >= 1.0 / 60 })
    }

    @Test("Ctrl-F searches the words in photos through the backend; after r the words are read")
    func wordSearch() throws {
        let harness = try LoopHarness(columns: 140)
        defer { harness.stop() }
        try #require(harness.until("5 photos") != nil)
        harness.screen.press(.control("f"), .character("c"), .character("a"), .character("t"))
        try #require(harness.until("words ❯ cat") != nil)
        try #require(harness.until("[cat]") != nil)
        #expect(harness.backend.wordSearches.last == "cat")
        #expect(harness.backend.searches.isEmpty)
        harness.screen.press(.escape, .character("r"))
        try #require(harness.until("reading words 1/2") != nil)
        try #require(harness.until { !$0.text.contains("reading words") } != nil)
    }

    @Test("while a search runs, each 120 ms of the clock turns the activity spinner")
    func spinnerTicks() throws {
        let backend = TestBackend(names: LoopHarness.names)
        backend.holdSearches()
        let harness = try LoopHarness(backend: backend)
        defer {
            backend.releaseSearches()
            harness.stop()
        }
        try #require(harness.until("5 photos") != nil)
        let turns = harness.clock.waits
        harness.screen.press(.character("c"), .character("a"), .character("t"))
        try #require(harness.clock.settled(after: turns) != nil)
        // The next frame shows the search running; a busy loop then waits 120 ms.
        let deadline = try #require(harness.step(by: 0.02))
        let first = try #require(harness.screen.frame(showing: "searching ⠋"))
        #expect(abs(deadline - first.time - 0.12) < 1e-6)
        // Each wait that runs out is one tick of the spinner, drawn at once.
        try #require(harness.step(by: 0.12) != nil)
        let second = try #require(harness.screen.frame(showing: "searching ⠙"))
        #expect(abs(second.time - first.time - 0.12) < 1e-6)
        try #require(harness.step(by: 0.12) != nil)
        #expect(harness.screen.frame(showing: "searching ⠹") != nil)
        backend.releaseSearches()
        #expect(harness.until("0.31 cat.jpg") != nil)
        #expect(harness.screen.drawn.last?.text.contains("searching") == false)
    }

    @Test("photos another process adds show up when the clock passes the 2 s index check")
    func indexChecksFollowTheClock() throws {
        let harness = try LoopHarness()
        defer { harness.stop() }
        try #require(harness.until("5 photos") != nil)
        harness.screen.type("cat")
        try #require(harness.until("0.31 cat.jpg") != nil)
        let searches = harness.backend.searches.count
        harness.backend.addPhotoFromOutside()
        _ = harness.step(by: 2)
        #expect(harness.until("6 photos") != nil)
        // The results follow the index: the same query ran again.
        #expect(harness.until { _ in harness.backend.searches.count > searches } != nil)
        #expect(harness.backend.searches.last?.0 == "cat")
    }

    @Test("Space marks photos and q returns their paths; the screen is ended")
    func marksAndQuit() throws {
        let harness = try LoopHarness()
        try #require(harness.until("5 photos") != nil)
        harness.screen.type("dog")
        try #require(harness.until("0.31 dog.jpg") != nil)
        harness.screen.press(.escape, .character(" "), .character("q"))
        let outcome = try #require(try harness.outcome())
        #expect(outcome.marked == [Array("/gallery/dog.jpg".utf8)])
        #expect(!outcome.aborted)
        #expect(outcome.signal == nil)
        #expect(harness.screen.isEnded)
    }

    @Test("Ctrl-C ends the loop as aborted")
    func abort() throws {
        let harness = try LoopHarness()
        try #require(harness.until("5 photos") != nil)
        harness.screen.press(.control("c"))
        let outcome = try #require(try harness.outcome())
        #expect(outcome.aborted)
        #expect(harness.screen.isEnded)
    }

    @Test("a resize is laid out in the next frame: too small, then the grid again")
    func resize() throws {
        let harness = try LoopHarness()
        defer { harness.stop() }
        harness.screen.type("cat")
        try #require(harness.until("0.31 cat.jpg") != nil)
        harness.screen.resize(rows: 8, columns: 30)
        let small = try #require(harness.until("terminal too small"))
        #expect(small.lines.count == 8)
        harness.screen.resize(rows: 20, columns: 70)
        let grid = try #require(
            harness.until { $0.lines.count == 20 && $0.text.contains("cat.jpg") })
        #expect(grid.lines.first?.count == 70)
        #expect(grid.lines.last?.hasPrefix(" test-clip · auto EN") == true)
    }

    @Test("y copies the selected photo's path with OSC 52, written after the frame")
    func copyPath() throws {
        let harness = try LoopHarness()
        defer { harness.stop() }
        harness.screen.type("dog")
        try #require(harness.until("0.31 dog.jpg") != nil)
        harness.screen.press(.escape, .character("y"))
        #expect(harness.until("copied path") != nil)
        let expected = OSC52.sequence(copying: Array("/gallery/dog.jpg".utf8))
        #expect(harness.screen.rawWrites.contains(expected))
    }
}
