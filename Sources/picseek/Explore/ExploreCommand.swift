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
            o to open, y to copy the path, r to reindex, m to switch to another model with
            vectors in this index, ? for every key, q to quit. Folders given here that are not
            indexed yet are indexed in the background while you search.
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

    @Option(help: ArgumentHelp("Model to search with (default: as picseek model list shows; m switches).", valueName: "path"))
    var model: String?

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var precision: PrecisionOptions

    func validate() throws {
        guard graphics == "auto" || GraphicsMode(rawValue: graphics) != nil else {
            throw ValidationError("--graphics must be auto, kitty, truecolor, 256, mono or ascii, not '\(graphics)'")
        }
        guard PromptLanguage(rawValue: lang) != nil else {
            throw ValidationError("--lang must be en or zh, not '\(lang)'")
        }
    }

    func run() throws {
        // Everything that can fail plainly (index, folders, model) fails here,
        // before the screen is taken over.
        let setup = try makeExplorerBackend(
            roots: paths, store: try database.open(), modelPath: model,
            imagePrecision: try precision.resolve())
        guard isatty(0) != 0, isatty(1) != 0 else {
            throw ValidationError("picseek explore needs a terminal on standard input and output")
        }
        let environment = ProcessInfo.processInfo.environment
        var options = ExplorerOptions()
        (options.theme, options.warnings) = ThemeLoader.load(name: theme, environment: environment)
        options.environment = environment
        options.language = PromptLanguage(rawValue: lang) ?? .english
        options.reindexAtStart = setup.needsIndexing
        if graphics != "auto" {
            options.graphics = GraphicsMode(rawValue: graphics)
        }
        let redirect = StderrRedirect()
        do {
            let runtime = try ExplorerRuntime(backend: setup.backend, options: options)
            try runtime.run(input: stdin, output: stdout)
        } catch {
            redirect.restore()
            throw error
        }
        redirect.restore()
        // The terminal is restored. Background work (an embedding in OpenBLAS, an
        // indexing batch) may still be running: leave without running exit
        // handlers, which could wait on those threads. Every committed index
        // transaction is already durable (WAL), and an unfinished batch is redone
        // by the next run, exactly as after a crash.
        fflush(stdout)
        fflush(stderr)
        _exit(0)
    }
}
