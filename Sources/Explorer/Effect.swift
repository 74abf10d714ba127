import PicseekCore

/// Work the update function asks the runtime to do; values only, so tests can
/// check them. The runtime runs each off the UI thread and answers with `Msg`s.
public enum Effect: Equatable, Sendable {
    /// Read the index summary; answer `.summaryLoaded` or `.error`.
    case loadSummary
    /// Embed `query` with `language` templates and search; answer
    /// `.searchResults(seq:hits:)`. Only the latest `seq` matters: the runtime
    /// may drop older jobs that have not started.
    case search(seq: Int, query: String, language: PromptLanguage)
    /// Photos whose recognised words contain the terms of `query` (as `picseek search
    /// --text`), best first, each with its snippet; answer `.searchResults(seq:hits:)`.
    case searchWords(seq: Int, query: String)
    /// Photos similar to `photoID`; answer `.searchResults(seq:hits:)`.
    case moreLikeThis(seq: Int, photoID: Int64)
    /// Load a grid thumbnail; answer `.thumbnailLoaded`.
    case loadThumbnail(photoID: Int64)
    /// Load the detail record; answer `.detailLoaded`.
    case loadDetail(photoID: Int64)
    /// Re-scan the index roots in the background; answer `.indexProgress` and
    /// finally `.indexFinished` or `.error`.
    case reindex
    /// Read the words in photos that have vectors and no text yet, in the background after a
    /// reindex; answer `.wordsProgress` and finally `.wordsFinished` or `.wordsFailed`.
    case readWords
    /// Load model `name` and its vectors for searching, off the UI thread;
    /// answer `.modelSwitched` or `.modelSwitchFailed`.
    case switchModel(name: String)
    /// Open a file in the system viewer (no shell); the path's bytes as stored.
    case open(path: [UInt8])
    /// Put bytes (a path as stored) on the clipboard (OSC 52).
    case copyToClipboard(bytes: [UInt8])
    /// Send `image` to the terminal as kitty image `id` placed over
    /// `columns` x `rows` cells (kitty graphics mode only).
    case transmitImage(id: Int, image: RGBImage, columns: Int, rows: Int)
    /// Leave the explorer, restoring the terminal.
    case quit
}
