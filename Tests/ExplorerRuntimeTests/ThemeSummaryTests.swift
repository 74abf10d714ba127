import ExplorerRuntime
import Foundation
import Testing

/// The `themes:` line of `picseek status`.
@Suite("installed themes summary")
struct ThemeSummaryTests {
    /// A folder holding empty files named `names`, removed by the caller.
    func folder(_ names: [String]) throws -> String {
        let root = NSTemporaryDirectory() + "picseek-themes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for name in names {
            try Data().write(to: URL(fileURLWithPath: root + "/" + name))
        }
        return root
    }

    @Test("the first folder's themes come first, sorted, other files left out")
    func firstFolder() throws {
        let custom = try folder(["zen.theme", "amber.theme", "notes.txt"])
        defer { try? FileManager.default.removeItem(atPath: custom) }
        let config = try folder([])
        defer { try? FileManager.default.removeItem(atPath: config) }
        let summary = ThemeLoader.installedSummary(
            environment: ["PICSEEK_THEMES": custom, "XDG_CONFIG_HOME": config])
        #expect(summary.hasPrefix("amber, zen in \(custom)"))
        #expect(!summary.contains("notes"))
    }

    @Test("a name found in an earlier folder is not repeated for a later one")
    func shadowed() throws {
        let custom = try folder(["light.theme"])
        defer { try? FileManager.default.removeItem(atPath: custom) }
        let config = try folder([])
        defer { try? FileManager.default.removeItem(atPath: config) }
        try FileManager.default.createDirectory(
            atPath: config + "/picseek/themes", withIntermediateDirectories: true)
        for name in ["light.theme", "mine.theme"] {
            try Data().write(to: URL(fileURLWithPath: config + "/picseek/themes/" + name))
        }
        let summary = ThemeLoader.installedSummary(
            environment: ["PICSEEK_THEMES": custom, "XDG_CONFIG_HOME": config])
        #expect(summary.hasPrefix("light in \(custom); mine in \(config)/picseek/themes"))
    }

    @Test("a theme file name with a control character is escaped")
    func escaped() throws {
        let custom = try folder(["b\u{1B}d.theme"])
        defer { try? FileManager.default.removeItem(atPath: custom) }
        let config = try folder([])
        defer { try? FileManager.default.removeItem(atPath: config) }
        let summary = ThemeLoader.installedSummary(
            environment: ["PICSEEK_THEMES": custom, "XDG_CONFIG_HOME": config])
        #expect(!summary.contains("\u{1B}"))
        #expect(summary.hasPrefix("b\\ed in"))
    }
}
