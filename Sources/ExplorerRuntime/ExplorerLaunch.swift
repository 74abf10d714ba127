import Cells
import Explorer
import PicseekCore
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// `--graphics`: `auto` (ask the terminal) or one picture mode by its name.
public enum GraphicsChoice: Equatable {
    /// The mode the terminal's answers allow (`GraphicsMode.automatic`).
    case auto
    /// This mode, whatever the terminal says.
    case mode(GraphicsMode)

    /// The spellings, in the order the help text names them.
    public static let names = [
        "auto", "sixel", "kitty", "iterm2", "truecolor", "256", "mono", "ascii",
    ]

    /// The choice spelled `argument`; nil for an unknown spelling.
    public init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if let mode = GraphicsMode(rawValue: argument) {
            self = .mode(mode)
        } else {
            return nil
        }
    }

    /// Every spelling, for help and completion.
    public static var allValueStrings: [String] { names }

    /// The spelling of this choice.
    public var defaultValueDescription: String {
        switch self {
        case .auto: return "auto"
        case .mode(let mode): return mode.rawValue
        }
    }
}

/// Where an explorer session draws: the terminal on standard input and output, or the
/// controlling terminal (`/dev/tty`) when the output goes to a pipe or file, which then
/// receives the marked paths.
public struct ExplorerTerminal {
    /// The screen's input stream.
    public var input: UnsafeMutablePointer<FILE>
    /// The screen's output stream.
    public var output: UnsafeMutablePointer<FILE>
    /// Standard output is a terminal (marked paths are printed escaped there).
    public var pathsToTerminal: Bool

    /// The session's terminal; nil when there is none on standard input, output or
    /// `/dev/tty`.
    public static func open() -> ExplorerTerminal? {
        let pathsToTerminal = isatty(1) != 0
        if isatty(0) != 0, pathsToTerminal {
            return ExplorerTerminal(input: stdin, output: stdout, pathsToTerminal: true)
        } else if let input = fopen("/dev/tty", "r"), let output = fopen("/dev/tty", "w") {
            return ExplorerTerminal(input: input, output: output, pathsToTerminal: pathsToTerminal)
        }
        return nil
    }
}

extension ExplorerOptions {
    /// Options for a session whose terminal answered `capabilities`: the theme
    /// `theme` (nil: as `config.toml` or the background says) loaded with its
    /// warnings, `graphics` forced unless `auto`, the prompt language at start.
    public init(
        capabilities: TerminalCapabilities, theme: String?, graphics: GraphicsChoice,
        language: PromptLanguage, reindexAtStart: Bool, environment: [String: String]
    ) {
        self.init()
        self.capabilities = capabilities
        (self.theme, warnings) = ThemeLoader.load(
            name: theme, environment: environment,
            lightBackground: capabilities.lightBackground(environment: environment))
        self.environment = environment
        self.language = language
        self.reindexAtStart = reindexAtStart
        if case .mode(let mode) = graphics { self.graphics = mode }
    }

    /// Options for a session on `terminal`, which is asked what it draws (at most
    /// 150 ms) unless the environment says not to; the cell size is always read, as
    /// pixel pictures need it.
    public static func probing(
        _ terminal: ExplorerTerminal, theme: String?, graphics: GraphicsChoice,
        language: PromptLanguage, reindexAtStart: Bool, environment: [String: String]
    ) -> ExplorerOptions {
        let capabilities = TerminalProbe.run(
            input: fileno(terminal.input), output: fileno(terminal.output),
            environment: environment)
        return ExplorerOptions(
            capabilities: capabilities, theme: theme, graphics: graphics, language: language,
            reindexAtStart: reindexAtStart, environment: environment)
    }
}
