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

    @Test("without a wired index, explore says so plainly and leaves the terminal usable")
    func exploreWithoutIndex() throws {
        guard TmuxSession.isAvailable else {
            Issue.record("tmux is not installed (scripts/install-deps installs it)")
            return
        }
        guard let binary = Self.binary else {
            Issue.record("picseek binary not found next to the test bundle")
            return
        }
        // Run the explorer, then print a marker from the same shell: the
        // marker appearing proves the shell got the terminal back.
        let session = try TmuxSession(
            command: ["sh", "-c", "\"$0\" explore; echo \"exit=$?\"; echo done-marker", binary],
            rows: 24, columns: 120)
        defer { session.kill() }
        let (found, screen) = try session.waitFor("done-marker", history: true)
        #expect(found, "screen was:\n\(screen)")
        // The message may wrap at the pane's edge.
        let joined = screen.replacingOccurrences(of: "\n", with: "")
        #expect(joined.contains("the photo index is not available in this build"))
        #expect(screen.contains("exit=2"))
    }
}
