import ArgumentParser
import ExplorerRuntime
import Foundation
import PicseekCore

#if canImport(Glibc)
    import Glibc
#endif

/// `picseek explore [PATH...]`: the full-screen explorer over the index.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Browse and search the index in a full-screen terminal explorer.",
        discussion: """
            Type to search (English or Chinese), Enter for details, s for more like this, \
            o to open, y to copy the path, r to reindex, m to switch to another model with \
            vectors in this index, Space to mark photos, ? for every key, q to quit. As it \
            opens, the explorer rescans the indexed folders in the background and indexes \
            photos added or changed since the last run (--no-refresh skips this); folders \
            given here that are not indexed yet are indexed the same way while you search.

            On quit with q or Esc (not Ctrl-C) the marked photos' paths are printed, one per \
            line: escaped on a terminal, exact when standard output is a pipe or a file (the \
            explorer then draws on /dev/tty), so `picseek explore | xargs -d '\\n' cp -t picked/` \
            works; --print0 ends each with a NUL byte instead.

            Themes: auto (light on a light terminal background, else default), default (readable \
            on dark and light backgrounds), light, mono, or a path to a .theme file. NO_COLOR is \
            respected.
            """)

    @Argument(help: "Folders to browse and reindex with r (default: the index's folders).")
    var paths: [String] = []

    @Option(help: "Colour theme: a name from themes/ or a path to a .theme file.")
    var theme: String?

    @Option(
        help: ArgumentHelp(
            "Thumbnails: auto (asks the terminal; picseek status shows what it picks), sixel, "
                + "kitty, iterm2, truecolor, 256, mono or ascii."))
    var graphics: GraphicsChoice = .auto

    @Option(
        help:
            "Prompt language at start: auto (Chinese templates for queries in Chinese), en or zh.")
    var lang: PromptLanguage = .auto

    @Option(
        help: ArgumentHelp(
            "Model to search with (default: as picseek model list shows; m switches).",
            valueName: "path"))
    var model: String?

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var precision: PrecisionOptions

    @OptionGroup var textPrecision: TextPrecisionOptions

    @Flag(help: "End each printed path of a marked photo with a NUL byte instead of a newline.")
    var print0 = false

    @Flag(help: "Do not rescan the indexed folders in the background when the explorer opens.")
    var noRefresh = false

    func run() throws {
        // Everything that can fail plainly (index, folders, model) fails here,
        // before the screen is taken over.
        let imagePrecision = try precision.prepare()
        try textPrecision.prepare()
        let setup = try makeExplorerBackend(
            roots: paths, store: try database.openPreferringWrite(), modelPath: model,
            imagePrecision: imagePrecision)
        // The screen: the terminal on stdin and stdout, or the controlling terminal when
        // the output goes to a pipe or file (it then receives the marked paths).
        guard let terminal = ExplorerTerminal.open() else {
            throw CLIError(
                "picseek explore needs a terminal (none on standard input, output or /dev/tty)")
        }
        let options = ExplorerOptions.probing(
            terminal, theme: theme, graphics: graphics, language: lang,
            reindexAtStart: setup.needsIndexing || (setup.refreshAtStart && !noRefresh),
            environment: ProcessInfo.processInfo.environment)
        let redirect = StderrRedirect()
        let outcome: ExplorerRuntime.Outcome
        do {
            defer { redirect.restore() }
            let runtime = try ExplorerRuntime(backend: setup.backend, options: options)
            outcome = try runtime.run(input: terminal.input, output: terminal.output)
        }
        let marked = outcome.markedOutput(
            toTerminal: terminal.pathsToTerminal, nulTerminated: print0)
        _ = marked.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, stdout) }
        // The terminal is restored. Background work (an embedding in OpenBLAS, an
        // indexing batch) may still be running: leave without running exit
        // handlers, which could wait on those threads. Every committed index
        // transaction is already durable (WAL), and an unfinished batch is redone
        // by the next run, exactly as after a crash.
        fflush(stdout)
        fflush(stderr)
        // 128 + the signal that ended it (SIGTERM 143, SIGHUP 129); Ctrl-C 130.
        _exit(outcome.exitStatus)
    }
}

extension GraphicsChoice: ExpressibleByArgument {}

extension PromptLanguage: ExpressibleByArgument {}
