import PicseekCore

/// What the explorer needs from the index. The runtime calls it off the UI
/// thread (never concurrently for the same method kind) and turns results and
/// thrown errors into `Msg`s; implementations must be safe to call from a
/// background thread.
public protocol ExplorerBackend: AnyObject, Sendable {
    /// Counts, model name and roots of the index.
    func summary() throws -> IndexSummary
    /// Embeds `text` with `language` prompt templates and returns the best
    /// `limit` photos, best first.
    func search(text: String, language: PromptLanguage, limit: Int) throws -> [Hit]
    /// Photos whose recognised words (OCR) contain every term of `query` (a double-quoted
    /// part is one term), best first, at most `limit`, each hit with its `snippet`.
    func searchWords(_ query: String, limit: Int) throws -> [Hit]
    /// Reads the words in photos that have vectors and no text yet, calling `progress` as it
    /// goes (from the calling thread); returns the new summary. Searches may run meanwhile.
    func readWords(progress: @escaping @Sendable (WordsProgress) -> Void) throws -> IndexSummary
    /// Photos most similar to `photoID`, best first, without the photo itself.
    func moreLikeThis(photoID: Int64, limit: Int) throws -> [Hit]
    /// A small image for the grid (about 64-128 pixels on the long side), or
    /// nil when the photo cannot be read.
    func thumbnail(photoID: Int64) throws -> RGBImage?
    /// Path, size and EXIF facts for the detail pane.
    func detail(photoID: Int64) throws -> PhotoDetail
    /// Re-scans the index roots, calling `progress` as photos are processed
    /// (from the calling thread); returns the new summary. Searches may run
    /// at the same time.
    func reindex(progress: @escaping @Sendable (IndexProgress) -> Void) throws -> IndexSummary
    /// Loads model `name` (one of `summary().models`) and answers later
    /// searches with its vectors; returns the new summary. Searches may run
    /// at the same time and keep the previous model until the switch is done.
    func switchModel(to name: String) throws -> IndexSummary
    /// A number that changes whenever the index changes, also by another process
    /// (`picseek watch`, `picseek index`); nil when the backend cannot tell.
    func indexGeneration() throws -> Int64?
}

/// Why a backend could not do what was asked.
public enum ExplorerBackendError: Error, Equatable, CustomStringConvertible {
    /// This backend has a single model.
    case modelSwitchingUnsupported
    /// This backend has no words read in photos.
    case wordsUnsupported

    public var description: String {
        switch self {
        case .modelSwitchingUnsupported: return "this index has a single model"
        case .wordsUnsupported: return "this index has no words read in photos"
        }
    }
}

extension ExplorerBackend {
    /// Backends with one model cannot switch.
    public func switchModel(to name: String) throws -> IndexSummary {
        throw ExplorerBackendError.modelSwitchingUnsupported
    }

    /// Backends without words in photos cannot search them.
    public func searchWords(_ query: String, limit: Int) throws -> [Hit] {
        throw ExplorerBackendError.wordsUnsupported
    }

    /// Backends without words in photos have none to read.
    public func readWords(
        progress: @escaping @Sendable (WordsProgress) -> Void
    ) throws -> IndexSummary {
        try summary()
    }

    /// Backends that cannot tell never report a change.
    public func indexGeneration() throws -> Int64? { nil }
}
