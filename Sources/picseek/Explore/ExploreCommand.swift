#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Explorer
import Foundation
import PicseekCore

/// `picseek explore [PATH...]`: the full-screen explorer over the index.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Browse and search the index in a full-screen terminal explorer.",
        discussion: """
            Type to search (English or Chinese), Enter for details, s for more like this,
            o to open, y to copy the path, r to reindex, ? for every key, q to quit.
            Themes: default, light, mono, or a path to a .theme file. NO_COLOR is respected.
            """)

    @Argument(help: "Folders to browse and reindex with r (default: the index's folders).")
    var paths: [String] = []

    @Option(help: "Colour theme: a name from themes/ or a path to a .theme file.")
    var theme: String?

    @Option(help: "Thumbnails: auto, kitty, truecolor, 256, mono or ascii (auto never picks kitty).")
    var graphics: String = "auto"

    @Option(help: "Prompt language at start: en or zh.")
    var lang: String = "en"

    func validate() throws {
        guard graphics == "auto" || GraphicsMode(rawValue: graphics) != nil else {
            throw ValidationError("--graphics must be auto, kitty, truecolor, 256, mono or ascii, not '\(graphics)'")
        }
        guard PromptLanguage(rawValue: lang) != nil else {
            throw ValidationError("--lang must be en or zh, not '\(lang)'")
        }
    }

    func run() throws {
        guard let backend = try makeExplorerBackend(roots: paths) else {
            FileHandle.standardError.write(Data("picseek explore: \(ExploreError.noBackend)\n".utf8))
            throw ExitCode(2)
        }
        guard isatty(0) != 0, isatty(1) != 0 else {
            throw ValidationError("picseek explore needs a terminal on standard input and output")
        }
        let environment = ProcessInfo.processInfo.environment
        var options = ExplorerOptions()
        (options.theme, options.warnings) = ThemeLoader.load(name: theme, environment: environment)
        options.environment = environment
        options.language = PromptLanguage(rawValue: lang) ?? .english
        if graphics != "auto" {
            options.graphics = GraphicsMode(rawValue: graphics)
        }
        let redirect = StderrRedirect()
        defer { redirect.restore() }
        let runtime = try ExplorerRuntime(backend: backend, options: options)
        try runtime.run(input: stdin, output: stdout)
    }
}
