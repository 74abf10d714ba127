import Explorer
import Foundation
import Testing

@testable import picseek

/// Which theme `picseek explore` picks from the command line and `config.toml`.
@Suite("theme choice")
struct ThemeLoaderTests {
    static let themes = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path

    /// A config folder holding `config.toml` with `text`, removed by the caller.
    func configFolder(_ text: String) throws -> String {
        let root = NSTemporaryDirectory() + "picseek-theme-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/picseek", withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/picseek/config.toml"))
        return root
    }

    @Test("config.toml's [explorer] theme is used unless --theme names another")
    func fromConfig() throws {
        let root = try configFolder("model = \"x\"\n[explorer]\ntheme = \"light\"\n")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = ["XDG_CONFIG_HOME": root, "PICSEEK_THEMES": Self.themes]
        let light = try String(contentsOfFile: Self.themes + "/light.theme", encoding: .utf8)
        let (theme, warnings) = ThemeLoader.load(name: nil, environment: environment)
        #expect(warnings.isEmpty)
        #expect(theme == ThemeParser.parse(light, name: "light").theme)
        #expect(theme != Theme.defaultDark)
        #expect(ThemeLoader.load(name: "default", environment: environment).0 == Theme.defaultDark)
    }

    @Test("a malformed config.toml is a warning and the default theme is used")
    func malformedConfig() throws {
        let root = try configFolder("theme = \n")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (theme, warnings) = ThemeLoader.load(
            name: nil, environment: ["XDG_CONFIG_HOME": root, "PICSEEK_THEMES": Self.themes])
        #expect(theme == Theme.defaultDark)
        #expect(warnings.count == 1 && warnings[0].contains("config.toml"), "\(warnings)")
    }
}
