import Explorer
import Foundation
import Testing

@testable import ExplorerRuntime

/// Which theme `picseek explore` picks from the command line and `config.toml`.
@Suite("theme choice")
struct ThemeLoaderTests {
    static let themes = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path

    /// A config folder holding `config.toml` with `text`, removed by the caller.
    func configFolder(_ text: String) throws -> String {
        let root = NSTemporaryDirectory() + "picseek-theme-\(UUID().uuidString)"
        try FileManager.default.createDirectory(
            atPath: root + "/picseek", withIntermediateDirectories: true)
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

    /// WCAG relative luminance of an sRGB colour.
    static func luminance(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Double {
        func channel(_ v: UInt8) -> Double {
            let x = Double(v) / 255
            return x <= 0.03928 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    static func contrast(_ a: Double, _ b: Double) -> Double {
        (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    @Test("auto picks light on a light background and default otherwise")
    func autoTheme() throws {
        let environment = ["XDG_CONFIG_HOME": "/nonexistent", "PICSEEK_THEMES": Self.themes]
        let light = ThemeParser.parse(
            try String(contentsOfFile: Self.themes + "/light.theme", encoding: .utf8), name: "light"
        ).theme
        #expect(
            ThemeLoader.load(name: nil, environment: environment, lightBackground: true).0 == light)
        #expect(
            ThemeLoader.load(name: nil, environment: environment, lightBackground: false).0.name
                == "default")
        #expect(
            ThemeLoader.load(name: nil, environment: environment, lightBackground: nil).0.name
                == "default")
    }

    @Test(
        "default and light are readable on a white and on a black terminal",
        arguments: ["default", "light"])
    func readable(name: String) throws {
        let text = try String(contentsOfFile: Self.themes + "/\(name).theme", encoding: .utf8)
        let theme = ThemeParser.parse(text, name: name).theme
        #expect(theme[.query].foreground == .default, "typed text uses the terminal's own colour")
        #expect(theme[.text].foreground == .default)
        for role in StyleRole.allCases {
            let style = theme[role]
            guard case .rgb(let r, let g, let b) = style.foreground else { continue }
            let fg = Self.luminance(r, g, b)
            if case .rgb(let br, let bg, let bb) = style.background {
                let ratio = Self.contrast(fg, Self.luminance(br, bg, bb))
                #expect(ratio >= 4.5, "\(name) \(role.rawValue) on its own background: \(ratio)")
            } else {
                #expect(
                    Self.contrast(fg, 1) >= 3,
                    "\(name) \(role.rawValue) on white: \(Self.contrast(fg, 1))")
                #expect(
                    Self.contrast(fg, 0) >= 3,
                    "\(name) \(role.rawValue) on black: \(Self.contrast(fg, 0))")
            }
        }
    }
}
