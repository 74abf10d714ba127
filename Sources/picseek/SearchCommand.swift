import ArgumentParser
import Foundation
import Library
import PicseekCore
import Store

/// `picseek search QUERY`: the best-matching photos, with scores.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find indexed photos by meaning; prints score and path.",
        discussion: """
            Compound queries: "sunset + beach - people", weights "2:cat + dog", an image path
            as a term "./pool.jpg + blue water", quotes for literal text "\\"rock - paper\\"".
            Text is wrapped in a prompt template per language ("a photo of {}" / "一张{}的照片").
            Words inside photos (read by `picseek index`): --text "营业时间" searches only them;
            a text: term in a query keeps photos whose text contains it, ordered by meaning:
            "receipt text:星巴克", "sign text:\"opening hours\"".
            """)

    @Argument(
        help: ArgumentHelp("The query (several words are joined with spaces).", valueName: "query"))
    var query: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Search only the words read in photos (OCR); prints the matched text and path.",
            valueName: "words"))
    var text: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Photos like this indexed photo (path or id).", valueName: "photo"))
    var like: String?

    @Option(name: [.customShort("t"), .long], help: "Number of results.")
    var top = 10

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "Query language for the prompt template: auto (detected per query), en or zh.",
            valueName: "lang"))
    var lang: PromptLanguage = .auto

    @Option(
        name: .customLong("in"),
        help: ArgumentHelp("Only photos under this folder.", valueName: "dir"))
    var folder: String?

    @Option(
        help: ArgumentHelp(
            "Only photos taken (EXIF date, else modified) on or after this date.",
            valueName: "YYYY[-MM[-DD]]"))
    var since: String?

    @Option(
        help: ArgumentHelp(
            "Only photos taken on or before this date (a month or year covers all of it).",
            valueName: "YYYY[-MM[-DD]]"))
    var until: String?

    @Option(
        help: ArgumentHelp(
            "Keep results scoring at least this fraction of the best score.", valueName: "ratio"))
    var minRatio: Float?

    @Option(
        help: ArgumentHelp(
            "Keep results within this score distance of the best.", valueName: "delta"))
    var within: Float?

    @Option(
        help:
            "Order of the results kept by --top and the cutoffs: score, newest or oldest (date taken, else modified)."
    )
    var sort: HitOrder = .score

    @Option(help: ArgumentHelp("English prompt template; {} is the query.", valueName: "template"))
    var templateEn: String?

    @Option(help: ArgumentHelp("Chinese prompt template; {} is the query.", valueName: "template"))
    var templateZh: String?

    @Flag(help: "Embed the query words as typed, without a prompt template.")
    var noTemplate = false

    @Option(help: ArgumentHelp("Model weights to embed the query with.", valueName: "path"))
    var model: String?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if query.isEmpty && like == nil && text == nil {
            throw ValidationError("give a query, --text WORDS or --like PHOTO")
        }
        if text != nil && (!query.isEmpty || like != nil) {
            throw ValidationError("--text searches only words in photos: give no other query")
        }
        if !query.isEmpty && like != nil {
            throw ValidationError("give either a query or --like, not both")
        }
        if top < 1 { throw ValidationError("--top must be at least 1") }
        if minRatio != nil && within != nil {
            throw ValidationError("give either --min-ratio or --within, not both")
        }
    }

    func run() throws {
        if let text {
            try searchWords(text)
            return
        }
        // Check everything that needs no model first, so mistakes show at once.
        let (meaning, words) = TextQuery.split(query.joined(separator: " "))
        if like == nil && meaning.isEmpty && !words.isEmpty {
            try searchWords(TextSearch.phrases(words))
            return
        }
        let terms = like == nil ? try QueryParser.parse(meaning) : nil
        let dates = try DateBounds(since: since, until: until)
        var templates = PromptTemplates.standard
        if let templateEn { try templates.set(templateEn, for: .english) }
        if let templateZh { try templates.set(templateZh, for: .chinese) }
        let store = try database.openForReading()
        let folderPath = try folder.map { try canonicalFolder($0) }
        let likeID: Int64?
        do {
            likeID = try like.map { try store.photoID(typed: $0) }
        } catch let error as TypedPathError {
            throw CLIError(error.description)
        }

        let embedder = try loadEmbedder(modelPath: model)
        let needsImages =
            terms?.contains { if case .image = $0.kind { true } else { false } } ?? false
        let processor = needsImages ? try makePhotoProcessor(for: embedder) : nil
        let engine = SearchEngine(
            store: store, embedder: embedder, processor: processor, templates: templates)
        var request: SearchRequest
        if let likeID {
            request = SearchRequest(query: .similarTo(photoID: likeID))
        } else {
            request = SearchRequest(query: .terms(terms ?? []))
        }
        request.top = top
        request.language = lang
        request.useTemplates = !noTemplate
        request.folder = folderPath
        request.dates = dates.isUnbounded ? nil : dates
        if let minRatio { request.cutoff = .ratio(minRatio) }
        if let within { request.cutoff = .delta(within) }
        request.order = sort
        if words.isEmpty {
            for hit in try engine.search(request) {
                print(json ? HitFormatter.json(hit) : HitFormatter.plain(hit))
            }
            return
        }
        // text: terms keep only photos whose words match, ranked by meaning among them.
        let kept = try TextSearch.meaning(
            request, engine: engine, store: store, words: words, top: top)
        for (hit, snippet) in kept {
            print(
                json
                    ? HitFormatter.json(hit, snippet: snippet)
                    : HitFormatter.plain(hit) + "  " + TerminalSafe.escape(snippet))
        }
    }

    /// `--text`: photos whose recognised words match, best first, with the matched text.
    private func searchWords(_ words: String) throws {
        let store = try database.openForReading()
        let folderPath = try folder.map { try canonicalFolder($0) }
        let hits = try TextSearch.hits(store: store, words: words, folder: folderPath, top: top)
        for hit in hits { print(json ? HitFormatter.json(hit) : HitFormatter.plain(hit)) }
        if hits.isEmpty && !json, let note = try TextSearch.pendingNote(store: store) {
            printError(note)
        }
    }
}

extension HitOrder: ExpressibleByArgument {}
