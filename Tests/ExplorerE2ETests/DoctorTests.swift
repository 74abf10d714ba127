import Foundation
import Store
import Testing

@testable import picseek

/// `picseek doctor` on a sound index, and its terminal section.
@Suite("picseek doctor", .serialized)
struct DoctorTests {
    @Test("the terminal section reports TERM, COLORTERM, NO_COLOR, TMUX and terminfo's colours")
    func terminalSection() {
        let lines = terminalReport(environment: [
            "TERM": "xterm-256color", "COLORTERM": "truecolor", "TMUX": "/tmp/tmux-0/default,1,0",
        ])
        #expect(lines.first == "terminal:")
        #expect(lines.contains("  TERM: xterm-256color"))
        #expect(lines.contains("  COLORTERM: truecolor"))
        #expect(lines.contains("  NO_COLOR: (not set)"))
        #expect(lines.contains("  TMUX: /tmp/tmux-0/default,1,0"))
        #expect(lines.contains("  colours (terminfo): 256"))
        let unknown = terminalReport(environment: ["TERM": "no-such-terminal-\u{1b}[31m"])
        #expect(unknown.contains("  colours (terminfo): unknown (no terminfo entry)"))
        // Text from the environment is escaped before it is printed.
        #expect(!unknown.joined().contains("\u{1b}"))
    }

    @Test("a sound index: doctor finds no problem and exits 0; a photo deleted since is reported")
    func soundIndex() throws {
        let sandbox = try IndexedExploreTests.Sandbox()
        let indexed = try IndexedExploreTests.run(
            ["index", "--model", IndexedExploreTests.tinyModel, sandbox.gallery], in: sandbox)
        #expect(indexed.status == 0, "\(indexed.errors)")
        let doctor = try IndexedExploreTests.run(["doctor"], in: sandbox)
        #expect(doctor.status == 0, "\(doctor.output)\(doctor.errors)")
        #expect(doctor.output.contains("  integrity: ok"))
        #expect(doctor.output.contains("  schema version: 1 (this picseek: 1)"))
        #expect(doctor.output.contains("  photos: 12 (0 failed)"))
        #expect(doctor.output.contains("  previews: 12, unused 0, photos without one 0"))
        #expect(doctor.output.contains("no problems found"))
        try FileManager.default.removeItem(atPath: sandbox.gallery + "/red.jpg")
        let gone = try IndexedExploreTests.run(["doctor"], in: sandbox)
        #expect(gone.status == 1)
        #expect(gone.output.contains("photos whose files are gone: 1"), "\(gone.output)")
        #expect(gone.output.contains("red.jpg"))
    }
}
