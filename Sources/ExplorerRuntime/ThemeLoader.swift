import Explorer
import Foundation
import ModelHub

/// Finds and reads theme files: `--theme NAME`, else `theme = "NAME"` under
/// `[explorer]` (or at the top) of `config.toml` (`$XDG_CONFIG_HOME/picseek/`,
/// default `~/.config/picseek/`, the file that also names the model), else the
/// built-in dark theme. Problems are returned as warnings for the status line,
/// never thrown.
public enum ThemeLoader {
    /// The theme to use and warnings about it.
    ///
    /// `auto` (the default) is `light` on a terminal whose background is known
    /// to be light (`lightBackground`, from OSC 11 or `COLORFGBG`) and
    /// `default` otherwise; `default` is readable on both.
    public static func load(
        name requested: String?, environment: [String: String], lightBackground: Bool? = nil
    ) -> (Theme, [String]) {
        var warnings: [String] = []
        var name =
            requested ?? configuredTheme(environment: environment, warnings: &warnings) ?? "auto"
        if name == "auto" { name = lightBackground == true ? "light" : "default" }
        var theme = Theme.defaultDark
        if let path = locate(name, environment: environment) {
            do {
                let text = try String(contentsOfFile: path, encoding: .utf8)
                let parsed = ThemeParser.parse(text, name: name)
                theme = parsed.theme
                warnings += parsed.warnings
            } catch {
                warnings.append("theme \(name): cannot read \(path): \(error.localizedDescription)")
            }
        } else if name != "default" {
            warnings.append("theme \(name) not found; using the default theme")
        }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { theme = theme.withoutColor }
        return (theme, warnings)
    }

    /// Folders searched for `NAME.theme`, first match wins.
    public static func searchFolders(environment: [String: String]) -> [String] {
        var folders: [String] = []
        if let custom = environment["PICSEEK_THEMES"], !custom.isEmpty { folders.append(custom) }
        folders.append(configFolder(environment: environment) + "/themes")
        // The running file itself: argv[0] is only a name when picseek was found on PATH.
        let running =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? ""
        let executable = URL(fileURLWithPath: running).resolvingSymlinksInPath()
        let binFolder = executable.deletingLastPathComponent()
        folders.append(
            binFolder.appendingPathComponent("../share/picseek/themes").standardized.path)
        // A build inside the repository: .build/<triple>/<config>/picseek.
        folders.append(binFolder.appendingPathComponent("../../../themes").standardized.path)
        folders.append(FileManager.default.currentDirectoryPath + "/themes")
        return folders
    }

    private static func locate(_ name: String, environment: [String: String]) -> String? {
        if name.contains("/") || name.hasSuffix(".theme") {
            return FileManager.default.fileExists(atPath: name) ? name : nil
        }
        for folder in searchFolders(environment: environment) {
            let path = folder + "/" + name + ".theme"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    private static func configFolder(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/picseek" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/picseek"
    }

    private static func configuredTheme(environment: [String: String], warnings: inout [String])
        -> String?
    {
        let path = configFolder(environment: environment) + "/config.toml"
        do {
            let config = try ConfigFile.load(path: path)
            return config.values["explorer.theme"] ?? config.values["theme"]
        } catch {
            warnings.append("\(error)")
            return nil
        }
    }
}
