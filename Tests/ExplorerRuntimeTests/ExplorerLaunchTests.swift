import Cells
import Explorer
import PicseekCore
import Testing

@testable import ExplorerRuntime

/// How `picseek explore` turns its options into the session's settings.
@Suite("explorer launch options")
struct ExplorerLaunchTests {
    @Test("--graphics reads auto and every picture mode by name, and nothing else")
    func graphicsChoice() {
        #expect(GraphicsChoice(argument: "auto") == .auto)
        #expect(GraphicsChoice(argument: "sixel") == .mode(.sixel))
        #expect(GraphicsChoice(argument: "256") == .mode(.color256))
        #expect(GraphicsChoice(argument: "Sixel") == nil)
        #expect(GraphicsChoice(argument: "") == nil)
        for name in GraphicsChoice.names {
            #expect(GraphicsChoice(argument: name)?.defaultValueDescription == name)
        }
    }

    @Test("a forced mode, the language and the start reindex reach the options")
    func forcedMode() {
        let options = ExplorerOptions(
            capabilities: TerminalCapabilities(), theme: "mono", graphics: .mode(.ascii),
            language: .chinese, reindexAtStart: true, environment: ["NO_COLOR": "1"])
        #expect(options.graphics == .ascii)
        #expect(options.language == .chinese)
        #expect(options.reindexAtStart)
        #expect(options.environment == ["NO_COLOR": "1"])
    }

    @Test("auto leaves the mode to the terminal and starts without a reindex when told")
    func automaticMode() {
        let options = ExplorerOptions(
            capabilities: TerminalCapabilities(), theme: nil, graphics: .auto,
            language: .auto, reindexAtStart: false, environment: [:])
        #expect(options.graphics == nil)
        #expect(options.language == .auto)
        #expect(!options.reindexAtStart)
    }

    @Test("an unknown theme name leaves a warning that names it")
    func unknownTheme() {
        let options = ExplorerOptions(
            capabilities: TerminalCapabilities(), theme: "no-such-theme", graphics: .auto,
            language: .auto, reindexAtStart: false, environment: [:])
        #expect(options.warnings.contains { $0.contains("no-such-theme") })
    }
}
