import Cells
import PicseekCore

/// Which pane receives keys.
public enum Focus: Equatable, Sendable {
    /// The query line: printable keys type.
    case query
    /// The result grid: letters are commands.
    case grid
    /// The detail pane (when open): letters are commands.
    case detail
}

/// What produced the results on screen.
public enum ResultSource: Equatable, Sendable {
    /// The text in the query line.
    case text
    /// "More like this" for a photo, with its display name.
    case similar(photoID: Int64, name: String)
}

/// A message in the status line.
public struct StatusMessage: Equatable, Sendable {
    /// The text (already safe to show).
    public var text: String
    /// Whether it reports a failure.
    public var isError: Bool

    /// Creates a message.
    public init(_ text: String, isError: Bool) {
        self.text = text
        self.isError = isError
    }
}

/// How far reading the words in photos has come.
public struct WordsProgress: Equatable, Sendable {
    /// Photo contents read (including those where no word was found).
    public var done: Int
    /// Photo contents still to read.
    public var pending: Int

    /// Creates counts.
    public init(done: Int, pending: Int) {
        self.done = done
        self.pending = pending
    }
}

/// Everything the explorer shows, as one value. `update` changes it, `view`
/// draws it; neither does I/O.
public struct AppState: Equatable, Sendable {
    /// Terminal height in rows.
    public var rows: Int
    /// Terminal width in columns.
    public var columns: Int
    /// The pane receiving keys.
    public var focus: Focus = .query
    /// The query line.
    public var query = LineEditor()
    /// Prompt template language for text queries.
    public var language: PromptLanguage = .english
    /// Results on screen, best first.
    public var hits: [Hit] = []
    /// The order of `hits` in the grid (`d` cycles it).
    public var order: HitOrder = .score
    /// Photos marked with Space, in marking order: their stored paths are printed when
    /// the explorer ends with `q` or Esc (not with Ctrl-C).
    public var marked: [MarkedPhoto] = []
    /// Set when the user left with Ctrl-C: nothing is printed and the exit status is 130.
    public var aborted = false
    /// What produced `hits`.
    public var source: ResultSource = .text
    /// Index of the selected hit.
    public var selection = 0
    /// First visible row of tiles in the grid.
    public var gridTopRow = 0
    /// Number of the newest search asked for.
    public var latestSeq = 0
    /// Whether the newest search is still running.
    public var searching = false
    /// Thumbnails loaded so far, by photo id (nil value: the photo has none).
    public var thumbnails: [Int64: RGBImage?] = [:]
    /// Thumbnails asked for and not yet answered.
    public var pendingThumbnails: Set<Int64> = []
    /// Detail records loaded so far.
    public var details: [Int64: PhotoDetail] = [:]
    /// Details asked for and not yet answered.
    public var pendingDetails: Set<Int64> = []
    /// Whether the detail pane is open.
    public var detailOpen = false
    /// Whether the help overlay is shown.
    public var helpVisible = false
    /// The index summary, once loaded.
    public var summary: IndexSummary?
    /// Reindex progress while one runs.
    public var progress: IndexProgress?
    /// Whether a reindex is running.
    public var reindexing = false
    /// Photos done when counts and results were last refreshed during the
    /// running reindex.
    public var refreshedAtDone = 0
    /// Whether the query is matched against the words read in photos (OCR, as
    /// `picseek search --text`) instead of by meaning (`w`, Ctrl-F toggle it).
    public var wordSearch = false
    /// Whether the explorer's own pass reading words in photos runs (after a reindex).
    public var readingWords = false
    /// That pass's counts while it runs: photo contents read and still to read.
    public var wordsProgress: WordsProgress?
    /// Whether another model is being loaded for searching.
    public var switchingModel = false
    /// The status-line message, if any.
    public var message: StatusMessage?
    /// Messages that failed during this session.
    public var errorCount = 0
    /// Colours by role.
    public var theme: Theme
    /// How thumbnails are drawn.
    public var graphics: GraphicsMode
    /// In kitty mode, whether thumbnails are Unicode placeholders (kitty 0.28+,
    /// Ghostty, inside tmux) rather than images placed directly by the runtime.
    public var kittyPlaceholders = true
    /// Kitty image numbers (1...255) of photos whose thumbnails were sent.
    public var kittyIDs: [Int64: Int] = [:]
    /// Which photo each kitty image number currently shows.
    public var kittyOwners: [Int: Int64] = [:]
    /// The next kitty image number to hand out (they are reused in turn).
    public var nextKittyID = 1
    /// Activity spinner phase, advanced by `.tick`.
    public var spinner = 0

    /// Creates the starting state for a terminal of the given size.
    public init(
        rows: Int, columns: Int, theme: Theme = .defaultDark, graphics: GraphicsMode = .color256,
        language: PromptLanguage = .english
    ) {
        self.rows = rows
        self.columns = columns
        self.theme = theme
        self.graphics = graphics
        self.language = language
    }

    /// The selected hit, if any.
    public var selectedHit: Hit? {
        hits.indices.contains(selection) ? hits[selection] : nil
    }

    /// The current layout.
    public var layout: Layout {
        Layout(rows: rows, columns: columns, detailOpen: detailOpen)
    }

    /// The words to highlight in recognised text: the query's terms in word search, else its
    /// `text:` terms.
    public var highlightedWords: [String] {
        SearchWords.terms(query.text, wordSearch: wordSearch)
    }

    /// The thumbnail to draw for `hit`, if one is available.
    public func thumbnail(for hit: Hit) -> RGBImage? {
        if let image = hit.thumbnail { return image }
        return thumbnails[hit.photoID] ?? nil
    }
}
