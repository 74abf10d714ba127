import PicseekCore
import Store

/// One `picseek search`, from the values typed on the command line to the printed lines.
///
/// The command parses and validates its options, then hands them here as plain values with
/// the ways to open the index and load the model; this type checks what needs no model
/// first (the query, dates, templates, folder, `--like` photo), builds the `SearchRequest`,
/// runs it and writes one line per result through `output`.
public struct SearchInvocation {
    /// The query words (joined with spaces); may hold `text:` terms.
    public var query: [String] = []
    /// `--text`: search only the words read in photos.
    public var text: String?
    /// `--like`: photos like this indexed photo (path or id).
    public var like: String?
    /// Number of results.
    public var top = 10
    /// One JSON object per line instead of plain lines.
    public var json = false
    /// The prompt template's language.
    public var language = PromptLanguage.auto
    /// `--in`: only photos under this folder, as typed.
    public var folder: String?
    /// `--since`, as typed.
    public var since: String?
    /// `--until`, as typed.
    public var until: String?
    /// `--min-ratio`: keep results scoring at least this fraction of the best.
    public var minRatio: Float?
    /// `--within`: keep results within this score distance of the best.
    public var within: Float?
    /// The order of the kept results.
    public var order = HitOrder.score
    /// The English prompt template replacing the standard one.
    public var templateEn: String?
    /// The Chinese prompt template replacing the standard one.
    public var templateZh: String?
    /// Embed the query as typed, without a template.
    public var noTemplate = false

    /// A search with every option at its default.
    public init() {}

    /// What a search needs from outside: the index and the model, made only when needed.
    public struct Services {
        /// Opens the index for reading.
        public var openStore: () throws -> any PhotoIndex
        /// Loads the model that embeds the query.
        public var loadEmbedder: () throws -> any Embedder
        /// The image pipeline for image terms in the query.
        public var makeProcessor: (any Embedder) throws -> PhotoProcessor

        /// The services from their parts.
        public init(
            openStore: @escaping () throws -> any PhotoIndex,
            loadEmbedder: @escaping () throws -> any Embedder,
            makeProcessor: @escaping (any Embedder) throws -> PhotoProcessor
        ) {
            self.openStore = openStore
            self.loadEmbedder = loadEmbedder
            self.makeProcessor = makeProcessor
        }
    }

    /// Runs the search: each result line goes to `output`, a note on standard error's side
    /// (photos not read yet) to `note`.
    ///
    /// A folder or `--like` photo that cannot be resolved throws `TypedPathError`.
    public func run(
        _ services: Services, output: (String) -> Void, note: (String) -> Void
    ) throws {
        if let text {
            try searchWords(text, services: services, output: output, note: note)
            return
        }
        // Check everything that needs no model first, so mistakes show at once.
        let (meaning, words) = TextQuery.split(query.joined(separator: " "))
        if like == nil && meaning.isEmpty && !words.isEmpty {
            try searchWords(
                TextSearch.phrases(words), services: services, output: output, note: note)
            return
        }
        let terms = like == nil ? try QueryParser.parse(meaning) : nil
        let dates = try DateBounds(since: since, until: until)
        var templates = PromptTemplates.standard
        if let templateEn { try templates.set(templateEn, for: .english) }
        if let templateZh { try templates.set(templateZh, for: .chinese) }
        let store = try services.openStore()
        let folderPath = try folder.map { try RawPath.typedFolder($0) }
        let likeID = try like.map { try store.photoID(typed: $0) }

        let embedder = try services.loadEmbedder()
        let needsImages =
            terms?.contains { if case .image = $0.kind { true } else { false } } ?? false
        let processor = needsImages ? try services.makeProcessor(embedder) : nil
        let engine = SearchEngine(
            store: store, embedder: embedder, processor: processor, templates: templates)
        let request = self.request(
            likeID: likeID, terms: terms ?? [], folder: folderPath, dates: dates)
        if words.isEmpty {
            for hit in try engine.search(request) {
                output(json ? HitFormatter.json(hit) : HitFormatter.plain(hit))
            }
            return
        }
        // text: terms keep only photos whose words match, ranked by meaning among them.
        let kept = try TextSearch.meaning(
            request, engine: engine, store: store, words: words, top: top)
        for (hit, snippet) in kept {
            output(
                json
                    ? HitFormatter.json(hit, snippet: snippet)
                    : HitFormatter.plain(hit) + "  " + TerminalSafe.escape(snippet))
        }
    }

    /// The request for photos like `likeID` when it is given, else for `terms`, with this
    /// search's limits: top, language, templates, folder, dates (none when unbounded),
    /// cutoff and order.
    public func request(
        likeID: Int64?, terms: [QueryTerm], folder: [UInt8]?, dates: DateBounds
    ) -> SearchRequest {
        var request: SearchRequest
        if let likeID {
            request = SearchRequest(query: .similarTo(photoID: likeID))
        } else {
            request = SearchRequest(query: .terms(terms))
        }
        request.top = top
        request.language = language
        request.useTemplates = !noTemplate
        request.folder = folder
        request.dates = dates.isUnbounded ? nil : dates
        if let minRatio { request.cutoff = .ratio(minRatio) }
        if let within { request.cutoff = .delta(within) }
        request.order = order
        return request
    }

    /// `--text`: photos whose recognised words match, best first, with the matched text.
    private func searchWords(
        _ words: String, services: Services, output: (String) -> Void, note: (String) -> Void
    ) throws {
        let store = try services.openStore()
        let folderPath = try folder.map { try RawPath.typedFolder($0) }
        let hits = try TextSearch.hits(store: store, words: words, folder: folderPath, top: top)
        for hit in hits { output(json ? HitFormatter.json(hit) : HitFormatter.plain(hit)) }
        if hits.isEmpty && !json, let text = try TextSearch.pendingNote(store: store) {
            note(text)
        }
    }
}
