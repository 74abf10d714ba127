import Dispatch
import Explorer
import Foundation
import Terminal

@testable import ExplorerRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the explorer's real runtime loop on a pseudo-terminal inside the test
/// process: keys are written to the controlling side, output is read back
/// into a `VTScreen`, like a person at a terminal.
final class ExplorerHarness: @unchecked Sendable {
    let pty: PseudoTerminal
    let backend: TestBackend
    private(set) var screen: VTScreen
    /// Every byte the explorer wrote.
    private(set) var output: [UInt8] = []
    private let finished = DispatchSemaphore(value: 0)
    private var runError: Error?

    init(
        rows: Int, columns: Int, backend: TestBackend, options: ExplorerOptions = ExplorerOptions()
    ) throws {
        pty = try PseudoTerminal(rows: rows, columns: columns)
        pty.startCapture()
        self.backend = backend
        screen = VTScreen(rows: rows, columns: columns)
        var options = options
        options.term = options.term ?? "xterm-256color"
        options.opener = Opener(command: ["picseek-test-no-such-viewer"])
        let runtime = try ExplorerRuntime(backend: backend, options: options)
        let thread = Thread { [self] in
            do { try runtime.run(input: pty.slave, output: pty.slave) } catch { runError = error }
            finished.signal()
        }
        thread.start()
    }

    /// Sends keys as typed bytes.
    func type(_ text: String) {
        pty.write(text)
        usleepMs(40)
    }

    /// Sends Escape alone: waits until the runtime has read it before anything
    /// else is typed, so a loaded machine cannot merge it with the next key
    /// into Alt plus that key.
    func pressEscape() {
        pty.write("\u{1B}")
        let deadline = Date().addingTimeInterval(5)
        var pending: Int32 = 1
        while Date() < deadline {
            if ioctl(fileno(pty.slave), UInt(FIONREAD), &pending) != 0 || pending == 0 { break }
            usleepMs(5)
        }
        usleepMs(80)
    }

    /// Reads output until `condition` holds for the screen, or `seconds` pass.
    @discardableResult
    func waitFor(seconds: Double = 30, _ condition: (VTScreen) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let bytes = pty.drain(timeoutMs: 30)
            output += bytes
            screen.feed(bytes)
            if condition(screen) { return true }
        }
        return false
    }

    /// Waits for text anywhere on the screen.
    @discardableResult
    func waitFor(_ text: String, seconds: Double = 30) -> Bool {
        waitFor(seconds: seconds) { $0.text.contains(text) }
    }

    /// Waits for the runtime to return; false on timeout.
    func waitForExit(seconds: Int = 30) -> Bool {
        let ok = finished.wait(timeout: .now() + .seconds(seconds)) == .success
        let bytes = pty.drain(timeoutMs: 50)
        output += bytes
        screen.feed(bytes)
        return ok
    }

    /// The error the runtime threw, if any.
    var error: Error? { runError }

    /// Whether the output contains `text`'s bytes.
    func outputContains(_ text: String) -> Bool {
        output.firstRange(of: Array(text.utf8)) != nil
    }
}
