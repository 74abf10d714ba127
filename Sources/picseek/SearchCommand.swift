import ArgumentParser
import Imaging
import Library
import PicseekCore

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

    @OptionGroup var textPrecision: TextPrecisionOptions

    /// The search these options ask for.
    private var invocation: SearchInvocation {
        var search = SearchInvocation()
        search.query = query
        search.text = text
        search.like = like
        search.top = top
        search.json = json
        search.language = lang
        search.folder = folder
        search.since = since
        search.until = until
        search.minRatio = minRatio
        search.within = within
        search.order = sort
        search.templateEn = templateEn
        search.templateZh = templateZh
        search.noTemplate = noTemplate
        return search
    }

    func validate() throws {
        do {
            try invocation.validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        try textPrecision.prepare()
        let services = SearchInvocation.Services(
            openStore: { try database.openForReading() },
            loadEmbedder: { try loadModel(modelPath: model).embedder },
            makeProcessor: { _ in ImagePipeline.photoProcessor() })
        try invocation.run(services, output: { print($0) }, note: printError)
    }
}

extension HitOrder: ExpressibleByArgument {}
