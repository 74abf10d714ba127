import Cells
import Dispatch
import Explorer
import PicseekCore
import Terminal

#if canImport(Glibc)
    import Glibc
#endif

/// Settings for one explorer session.
public struct ExplorerOptions {
    /// Colours by role (already without colour when `NO_COLOR` is set).
    public var theme: Theme = .defaultDark
    /// Problems found while loading the theme, shown in the status line.
    public var warnings: [String] = []
    /// Forced thumbnail mode; nil picks one from the terminal.
    public var graphics: GraphicsMode?
    /// What the terminal answered when asked (`TerminalProbe`).
    public var capabilities = TerminalCapabilities()
    /// Prompt language at start.
    public var language: PromptLanguage = .auto
    /// The environment (for `COLORTERM`, `NO_COLOR`).
    public var environment: [String: String] = [:]
    /// Terminal type; nil uses `$TERM`.
    public var term: String?
    /// How many results a search asks for.
    public var resultLimit = 500
    /// Pause before a search starts, so a burst of keys becomes one search.
    public var debounceMs = 30
    /// The viewer command for `o`.
    public var opener = Opener()
    /// Whether SIGINT/SIGTERM/SIGHUP are trapped (off when embedded in tests
    /// that drive several sessions; they quit with keys).
    public var trapSignals = true
    /// Start a background reindex at once (a folder given on the command
    /// line is not indexed yet).
    public var reindexAtStart = false
    /// The runtime's time; tests give one they advance by hand.
    public var clock: RuntimeClock = SystemClock()

    /// Options with every default: the dark theme, pictures as the terminal allows.
    public init() {}
}

/// The explorer's single UI thread: reads keys, feeds `Msg`s to `update`,
/// runs `Effect`s on worker threads through the backend, and draws
/// `view(state)` at most once per frame. Only this thread touches ncurses.
///
/// The screen and the clock are injected (`run(screen:)`, `ExplorerOptions.clock`),
/// so the loop is tested with a fake screen and a clock advanced by hand.
public final class ExplorerRuntime {
    private let backend: ExplorerBackend
    private let options: ExplorerOptions
    private let queue: MessageQueue
    private let searchSlot: LatestJobSlot
    private let loader = DispatchQueue(label: "picseek.explore.thumbnails")
    private let detailLoader = DispatchQueue(label: "picseek.explore.details")
    private let indexer = DispatchQueue(label: "picseek.explore.reindex")
    private let wordReader = DispatchQueue(label: "picseek.explore.words")
    private let modelLoader = DispatchQueue(label: "picseek.explore.model")
    /// Asks the backend every 2 s whether the index changed (another process wrote it).
    private let changeWatch = DispatchQueue(label: "picseek.explore.index-changes")
    private let clock: RuntimeClock
    private var knownGeneration: Int64?
    private var pendingRaw: [String] = []
    private var caughtSignal: Int32?
    private var quitting = false

    /// Prepares a session over `backend`; nothing is drawn before `run`.
    public init(backend: ExplorerBackend, options: ExplorerOptions) throws {
        self.backend = backend
        self.options = options
        clock = options.clock
        queue = try MessageQueue()
        searchSlot = LatestJobSlot(label: "picseek.explore.search", debounceMs: options.debounceMs)
    }

    /// How the explorer ended.
    public struct Outcome {
        /// Stored paths of the photos marked with Space, in marking order.
        public var marked: [[UInt8]]
        /// The user left with Ctrl-C, or a signal ended the explorer.
        public var aborted: Bool
        /// The signal that ended the explorer (SIGINT, SIGTERM, SIGHUP), if one did.
        public var signal: Int32? = nil
    }

    /// Runs on the terminal of `input` and `output` until the user quits or a signal
    /// arrives; the terminal is restored on every path out (including thrown errors).
    @discardableResult
    public func run(
        input: UnsafeMutablePointer<FILE>, output: UnsafeMutablePointer<FILE>
    ) throws -> Outcome {
        let colorterm = options.environment["COLORTERM"]?.lowercased() ?? ""
        let noColor = !(options.environment["NO_COLOR"] ?? "").isEmpty
        let wantTruecolor =
            options.graphics == .truecolor
            || (options.graphics == nil && (colorterm == "truecolor" || colorterm == "24bit"))
        let screen = try Screen.open(
            term: options.term, output: output, input: input, wantTruecolor: wantTruecolor,
            useColor: !noColor)
        return try run(screen: screen)
    }

    /// Runs on `screen` until the user quits or a signal arrives, then ends the
    /// screen (on every path out, including thrown errors).
    @discardableResult
    public func run(screen: ExplorerScreen) throws -> Outcome {
        defer { screen.end() }
        let trap = options.trapSignals ? SignalTrap(wakeFD: queue.wakeWrite) : nil
        defer { trap?.restore() }
        screen.enableMouse()
        screen.pushInput(options.capabilities.typedAhead)

        let (rows, columns) = screen.size
        let graphics =
            options.graphics
            ?? GraphicsMode.automatic(
                capabilities: options.capabilities, environment: options.environment,
                screenColors: screen.colorCount
            ).mode
        var state = AppState(
            rows: rows, columns: columns, theme: options.theme, graphics: graphics,
            language: options.language)
        state.kittyPlaceholders = GraphicsMode.kittyUsesPlaceholders(
            capabilities: options.capabilities)
        let overlay = Self.overlay(for: state, capabilities: options.capabilities, screen: screen)
        defer { if let overlay { screen.writeRawKeepingCursor(overlay.finish()) } }
        var lastBuffer: CellBuffer?
        process(&state, .started)
        if options.reindexAtStart { process(&state, .reindexRequested) }
        for warning in options.warnings { process(&state, .error(warning)) }

        var dirty = true
        var lastFrame = 0.0
        var lastChangeCheck = 0.0
        let frameInterval = 1.0 / 60
        while !quitting {
            if dirty {
                let now = clock.now()
                if now - lastFrame >= frameInterval {
                    let frame = viewFrame(state)
                    if let overlay, overlay.needsClear(for: frame.images) { screen.invalidate() }
                    try screen.draw(frame.buffer)
                    if let overlay {
                        screen.writeRawKeepingCursor(
                            overlay.paint(
                                frame.images, state: state, previous: lastBuffer,
                                current: frame.buffer, repaintedAll: screen.repaintedAll))
                    }
                    lastBuffer = frame.buffer
                    for raw in pendingRaw { screen.writeRaw(raw) }
                    pendingRaw.removeAll()
                    lastFrame = now
                    dirty = false
                }
            }
            let busy = state.searching || state.reindexing || state.switchingModel
            var timeout: Int32 = busy ? 120 : 1000
            if dirty {
                timeout = Int32(max(1, (frameInterval - (clock.now() - lastFrame)) * 1000))
            }
            let ready = clock.wait(
                for: [screen.inputDescriptor, queue.wakeRead], timeoutMs: timeout)
            if let trap, let signal = trap.signal {
                state.aborted = true
                caughtSignal = signal
                break
            }
            if ready == 0, !dirty, busy {
                process(&state, .tick)
                dirty = true
            }
            // Keys: drain everything ncurses has (an input method's commit
            // arrives as several characters at once).
            while !quitting, let key = screen.readKey(timeoutMs: 0) {
                if key == .resize {
                    let size = screen.size
                    screen.invalidate()
                    process(&state, .resized(rows: size.rows, columns: size.columns))
                } else {
                    process(&state, .keyPressed(key))
                }
                dirty = true
            }
            if clock.now() - lastChangeCheck >= 2 {
                lastChangeCheck = clock.now()
                checkForIndexChanges()
            }
            for msg in queue.takeAll() where !quitting {
                process(&state, msg)
                dirty = true
            }
        }
        return Outcome(
            marked: state.marked.map(\.pathBytes), aborted: state.aborted, signal: caughtSignal)
    }

    /// The overlay that draws pictures for `state.graphics`, if it needs one:
    /// pixel protocols, and 24-bit half blocks on a screen ncurses drives with
    /// fewer colours.
    static func overlay(
        for state: AppState, capabilities: TerminalCapabilities, screen: ExplorerScreen
    ) -> ImageOverlay? {
        // Unknown cell sizes get a common one (sixel pictures are not scaled).
        let cell = capabilities.cellPixels ?? PixelSize(width: 10, height: 20)
        switch state.graphics {
        case .sixel:
            return ImageOverlay(
                method: .sixel(colorRegisters: capabilities.sixelColorRegisters ?? 256), cell: cell,
                sixelMaximum: capabilities.sixelMaximum)
        case .kitty where !state.kittyPlaceholders:
            return ImageOverlay(method: .kittyDirect, cell: cell)
        case .iterm2:
            return ImageOverlay(method: .iterm2, cell: cell)
        case .truecolor where screen.colorDepth != .direct:
            return ImageOverlay(method: .truecolorCells, cell: cell)
        default:
            return nil
        }
    }

    /// Posts `.indexChanged` when the index generation moved since the last look.
    private func checkForIndexChanges() {
        changeWatch.async { [self] in
            guard let current = (try? backend.indexGeneration()) ?? nil else { return }
            if let known = knownGeneration, known != current { queue.post(.indexChanged) }
            knownGeneration = current
        }
    }

    /// Applies one message and starts its effects.
    private func process(_ state: inout AppState, _ msg: Msg) {
        for effect in update(&state, msg) { perform(effect) }
    }

    private func perform(_ effect: Effect) {
        let backend = self.backend
        let queue = self.queue
        switch effect {
        case .quit:
            quitting = true
        case .loadSummary:
            loader.async {
                do { queue.post(.summaryLoaded(try backend.summary())) } catch {
                    queue.post(.error("cannot read the index: \(error)"))
                }
            }
        case .search(let seq, let query, let language):
            let limit = options.resultLimit
            searchSlot.submit {
                do {
                    let hits = try backend.search(text: query, language: language, limit: limit)
                    queue.post(.searchResults(seq: seq, hits: hits))
                } catch {
                    queue.post(.searchFailed(seq: seq, message: "\(error)"))
                }
            }
        case .searchWords(let seq, let query):
            let limit = options.resultLimit
            searchSlot.submit {
                do {
                    let hits = try backend.searchWords(query, limit: limit)
                    queue.post(.searchResults(seq: seq, hits: hits))
                } catch {
                    queue.post(.searchFailed(seq: seq, message: "\(error)"))
                }
            }
        case .readWords:
            // Its own queue: the backend gives way to a reindex asked for meanwhile.
            wordReader.async {
                do {
                    let summary = try backend.readWords { progress in
                        queue.post(.wordsProgress(progress))
                    }
                    queue.post(.wordsFinished(summary))
                } catch {
                    queue.post(.wordsFailed("\(error)"))
                }
            }
        case .moreLikeThis(let seq, let photoID):
            let limit = options.resultLimit
            searchSlot.submit {
                do {
                    let hits = try backend.moreLikeThis(photoID: photoID, limit: limit)
                    queue.post(.searchResults(seq: seq, hits: hits))
                } catch {
                    queue.post(.searchFailed(seq: seq, message: "\(error)"))
                }
            }
        case .loadThumbnail(let photoID):
            loader.async {
                let image = try? backend.thumbnail(photoID: photoID)
                queue.post(.thumbnailLoaded(photoID: photoID, image: image ?? nil))
            }
        case .loadDetail(let photoID):
            detailLoader.async {
                do { queue.post(.detailLoaded(try backend.detail(photoID: photoID))) } catch {
                    queue.post(.error("cannot read photo details: \(error)"))
                }
            }
        case .reindex:
            let clock = self.clock
            indexer.async {
                let throttle = ProgressThrottle(clock: clock)
                do {
                    let summary = try backend.reindex { progress in
                        if throttle.shouldReport(progress) { queue.post(.indexProgress(progress)) }
                    }
                    queue.post(.indexFinished(summary))
                } catch {
                    queue.post(.indexFailed("\(error)"))
                }
            }
        case .switchModel(let name):
            modelLoader.async {
                do { queue.post(.modelSwitched(try backend.switchModel(to: name))) } catch {
                    queue.post(.modelSwitchFailed("\(error)"))
                }
            }
        case .open(let path):
            do {
                try options.opener.open(path) { message in queue.post(.error(message)) }
            } catch {
                queue.post(.error("\(error)"))
            }
        case .copyToClipboard(let bytes):
            pendingRaw.append(OSC52.sequence(copying: bytes))
        case .transmitImage(let id, let image, let columns, let rows):
            pendingRaw.append(
                KittyGraphics.transmit(
                    id: id, pixels: image.pixels, width: image.width, height: image.height,
                    columns: columns, rows: rows, tmux: options.environment["TMUX"] != nil))
        }
    }
}

/// Lets through at most about ten progress reports a second, plus the last.
final class ProgressThrottle: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var last = 0.0
    private let clock: RuntimeClock

    init(clock: RuntimeClock) {
        self.clock = clock
    }

    func shouldReport(_ progress: IndexProgress) -> Bool {
        lock.wait()
        defer { lock.signal() }
        let now = clock.now()
        if progress.total > 0 && progress.done >= progress.total || now - last >= 0.1 {
            last = now
            return true
        }
        return false
    }
}
