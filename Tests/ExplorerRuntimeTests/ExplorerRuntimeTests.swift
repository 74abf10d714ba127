import Explorer
import Foundation
import Testing

@testable import ExplorerRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The explorer's runtime loop, driven through a pseudo-terminal with a test
/// backend: keys in, screen text out, terminal restored at the end.
@Suite("explorer end to end in a pseudo-terminal", .serialized)
struct ExplorerRuntimeTests {
    static let names = [
        "cat.jpg", "dog.jpg", "海边.jpg", "sunset.jpg", "cat2.jpg", "\u{1B}[31mred.jpg",
    ]

    @Test(
        "type a query, see scored results, toggle language, open details, reindex, quit, terminal restored"
    )
    func session() throws {
        let backend = TestBackend(names: Self.names)
        let harness = try ExplorerHarness(rows: 24, columns: 90, backend: backend)
        #expect(harness.waitFor("type to search your photos"))
        #expect(harness.waitFor("test-clip · auto EN · 6 photos · 1 errors"))

        harness.type("cat")
        #expect(harness.waitFor("0.31 cat.jpg"))
        // Labels too narrow for the extension keep the end of the name.
        #expect(harness.waitFor(" cat2 "))
        #expect(backend.searches.last.map { $0.0 == "cat" && $0.1 == .auto } == true)
        // Thumbnails arrive from the backend and are drawn as half blocks.
        #expect(harness.waitFor { $0.text.contains("▀▀▀▀▀▀▀▀▀▀▀▀") })
        // The hostile name is shown escaped.
        // (cut in the middle: the end of "\\e[31mred" shows, as text)
        #expect(harness.waitFor("…31mred"))

        // Chinese typed through an input method arrives as one burst of characters.
        harness.type("\u{15}海边") // Ctrl-U clears the line first
        #expect(harness.waitFor("0.31 海边"))
        #expect(harness.waitFor(seconds: 2) { _ in backend.searches.last?.0 == "海边" })
        // Detection picks the Chinese template, and the status line says so.
        #expect(harness.waitFor("test-clip · auto 中文 · 6 photos"))

        harness.type("\u{14}") // Ctrl-T: prompt language, English
        #expect(harness.waitFor("test-clip · EN · 6 photos"))
        #expect(harness.waitFor(seconds: 2) { _ in backend.searches.last?.1 == .english })
        harness.type("\u{14}") // then 中文
        #expect(harness.waitFor("test-clip · 中文 · 6 photos"))
        #expect(harness.waitFor(seconds: 2) { _ in backend.searches.last?.1 == .chinese })

        harness.pressEscape() // leave the query line
        harness.type("\r") // detail pane
        #expect(harness.waitFor("camera Test Cam"))
        #expect(harness.waitFor("pixels 4000×3000"))
        #expect(harness.waitFor("/gallery/海边.jpg"))

        harness.type("o") // the viewer does not exist: the error shows in the status line
        #expect(harness.waitFor("picseek-test-no-such-viewer not found"))

        harness.type("r")
        #expect(harness.waitFor("indexing"))
        #expect(harness.waitFor("reindex finished: 7 photos"))

        harness.type("q")
        #expect(harness.waitForExit())
        #expect(harness.error == nil)
        #expect(harness.outputContains("\u{1B}[?1049l")) // left the alternate screen
        #expect(harness.pty.isCooked) // line editing and echo are back
    }

    @Test("searching goes on while a reindex runs, and y copies the path with OSC 52")
    func searchDuringReindex() throws {
        let backend = TestBackend(names: Self.names)
        let harness = try ExplorerHarness(rows: 24, columns: 90, backend: backend)
        #expect(harness.waitFor("6 photos"))
        harness.pressEscape()
        harness.type("r")
        harness.type("/")
        #expect(harness.waitFor("indexing"))
        harness.type("dog")
        #expect(harness.waitFor("0.31 dog.jpg"))
        #expect(harness.waitFor("reindex finished"))
        harness.pressEscape()
        harness.type("y")
        #expect(harness.waitFor("copied path"))
        #expect(
            harness.screen.oscStrings.contains("52;c;" + OSC52Reference.base64("/gallery/dog.jpg")))
        harness.type("\u{3}") // Ctrl-C
        #expect(harness.waitForExit())
        #expect(harness.pty.isCooked)
    }

    @Test("SIGTERM leaves through the normal path and restores the terminal")
    func sigterm() throws {
        let backend = TestBackend(names: Self.names)
        var options = ExplorerOptions()
        options.trapSignals = true
        let harness = try ExplorerHarness(rows: 20, columns: 80, backend: backend, options: options)
        #expect(harness.waitFor("6 photos"))
        kill(getpid(), SIGTERM)
        #expect(harness.waitForExit())
        #expect(harness.outputContains("\u{1B}[?1049l"))
        #expect(harness.pty.isCooked)
    }

    @Test("a resize at any time re-lays out: too small, then back to the grid")
    func resize() throws {
        let backend = TestBackend(names: Self.names)
        var options = ExplorerOptions()
        options.trapSignals = true
        let harness = try ExplorerHarness(rows: 24, columns: 90, backend: backend, options: options)
        harness.type("cat")
        #expect(harness.waitFor("0.31 cat.jpg"))
        harness.pty.setSize(rows: 8, columns: 30)
        kill(getpid(), SIGWINCH)
        #expect(harness.waitFor("terminal too small"))
        harness.pty.setSize(rows: 20, columns: 70)
        kill(getpid(), SIGWINCH)
        // The VT model keeps its own size; the explorer's frame is 70 wide now.
        #expect(
            harness.waitFor {
                $0.text.contains("0.31 cat.jpg") && !$0.text.contains("terminal too small")
            })
        #expect(harness.waitFor { $0.lines[19].hasPrefix(" test-clip · auto EN") })
        harness.type("\u{3}")
        #expect(harness.waitForExit())
        #expect(harness.pty.isCooked)
    }

    @Test("kitty mode transmits thumbnails and draws placeholder cells")
    func kittyMode() throws {
        let backend = TestBackend(names: Self.names)
        var options = ExplorerOptions()
        options.graphics = .kitty
        // A kitty that shows Unicode placeholders (0.28 and later).
        options.capabilities.version = "kitty(0.35.2)"
        let harness = try ExplorerHarness(rows: 24, columns: 90, backend: backend, options: options)
        harness.type("cat")
        #expect(harness.waitFor("0.31 cat.jpg"))
        #expect(
            harness.waitFor(seconds: 5) { _ in
                harness.outputContains("\u{1B}_Ga=T,U=1,i=1,f=24,s=32,v=32,c=12,r=6,q=2")
            })
        #expect(harness.outputContains("\u{10EEEE}\u{0305}\u{0305}"))
        harness.type("\u{3}")
        #expect(harness.waitForExit())
    }

    @Test("a theme warning shows in the status line and the explorer still runs")
    func themeWarning() throws {
        let backend = TestBackend(names: Self.names)
        var options = ExplorerOptions()
        let (theme, warnings) = ThemeParser.parse("border_fg = #zz0000\n", name: "broken")
        options.theme = theme
        options.warnings = warnings
        let harness = try ExplorerHarness(
            rows: 20, columns: 100, backend: backend, options: options)
        #expect(harness.waitFor("theme broken line 1: border_fg: bad colour '#zz0000'"))
        harness.type("\u{3}")
        #expect(harness.waitForExit())
    }
}

/// Independent base64 (Foundation's) to check the runtime's OSC 52 payload.
enum OSC52Reference {
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
}
