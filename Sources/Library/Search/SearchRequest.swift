import PicseekCore

/// What to look for.
public enum SearchQuery: Sendable {
    /// A compound query as typed, e.g. `sunset + beach - people`.
    case text(String)
    /// Already parsed terms.
    case terms([QueryTerm])
    /// Photos like this indexed photo (by id); the photo itself is left out.
    case similarTo(photoID: Int64)
}

/// How many hits survive, relative to the best one.
public enum ScoreCutoff: Equatable, Sendable {
    /// Keep hits scoring at least `ratio × best` (when best > 0), e.g. 0.9.
    case ratio(Float)
    /// Keep hits scoring at least `best − delta`, e.g. 0.03.
    case delta(Float)
}

/// A search: the query and what narrows its hits.
public struct SearchRequest: Sendable {
    public var query: SearchQuery
    /// Number of hits wanted (before the cutoff).
    public var top = 10
    /// Language of text terms; `auto` detects it per term (CJK → Chinese).
    public var language = PromptLanguage.auto
    /// Wrap text terms in the language's prompt template.
    public var useTemplates = true
    /// Only photos under this folder (raw absolute path).
    public var folder: [UInt8]?
    /// Only photos whose EXIF date (else modification time) is in range.
    public var dates: DateBounds?
    /// Drop hits far below the best one.
    public var cutoff: ScoreCutoff?
    /// How the kept hits are ordered: the best `top` are chosen by score, then sorted.
    public var order = HitOrder.score

    public init(query: SearchQuery) { self.query = query }
}

/// Why a search could not run.
public enum SearchError: Error, CustomStringConvertible {
    /// The index holds no vectors of the loaded model.
    case noVectors(model: String)
    /// The stored vectors were made by other weights than the loaded model's.
    case fingerprintMismatch(model: String, stored: String, loaded: String)
    /// An image term or `similarTo` named something unusable.
    case badImageTerm(path: String, reason: String)
    /// No photo with this id has a vector of the model.
    case unknownPhoto(Int64)
    /// Image terms need the image pipeline, which was not given.
    case noImagePipeline
    /// The terms cancel out (e.g. `cat - cat`).
    case zeroQuery
    /// The model returned a vector of the wrong length.
    case wrongDimension(expected: Int, found: Int)
    /// The index changed between reading its vectors and reading their paths; search again.
    case indexChanged

    public var description: String {
        switch self {
        case .noVectors(let model):
            return "the index has no vectors of model \(model); run picseek index first"
        case .fingerprintMismatch(let model, let stored, let loaded):
            return "index vectors of \(model) come from weights \(stored), "
                + "but the loaded weights are \(loaded); re-index or load the same weights"
        case .badImageTerm(let path, let reason): return "image \(path): \(reason)"
        case .unknownPhoto(let id): return "no indexed photo with id \(id)"
        case .noImagePipeline: return "image terms need the image pipeline, not available here"
        case .zeroQuery: return "the query terms cancel each other out"
        case .wrongDimension(let expected, let found):
            return "model returned \(found) values, expected \(expected)"
        case .indexChanged: return "the index changed during the search; search again"
        }
    }
}
