import Foundation
import Testing

/// The real `picseek` binary in a real terminal (tmux).
@Suite("picseek binary in tmux", .serialized)
struct BinaryTests {
    /// The built `picseek` next to the test bundle (SwiftPM puts both in the
    /// same products folder).
    static var binary: String? {
        let bundle = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        var folder = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("picseek").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    @Test(
        "with a model that cannot be found, explore says so plainly and leaves the terminal usable")
    func exploreWithMissingModel() throws {
        guard TmuxSession.isAvailable else {
            Issue.record("tmux is not installed (scripts/install-deps installs it)")
            return
        }
        guard let binary = Self.binary else {
            Issue.record("picseek binary not found next to the test bundle")
            return
        }
        let sandbox = try IndexedExploreTests.Sandbox()
        // Run the explorer, then print a marker from the same shell: the
        // marker appearing proves the shell got the terminal back.
        let session = try TmuxSession(
            command: [
                "sh", "-c",
                "\"$0\" explore --db \"$1\" --model \"$2\"; echo \"exit=$?\"; echo done-marker",
                binary, sandbox.database, sandbox.root + "/no-such-model",
            ],
            rows: 24, columns: 120, environment: sandbox.environment)
        defer { session.kill() }
        let (found, screen) = try session.waitFor("done-marker", history: true, seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        // The message may wrap at the pane's edge.
        let joined = screen.replacingOccurrences(of: "\n", with: "")
        #expect(joined.contains("no-such-model"), "screen was:\n\(screen)")
        #expect(!screen.contains("exit=0"), "screen was:\n\(screen)")
        #expect(!screen.contains("picseek ❯"), "screen was:\n\(screen)")
    }
}
