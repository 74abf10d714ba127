import Cells
import PicseekCore

/// Everything that can happen to the explorer: keys, resizes and the answers
/// to effects.
public enum Msg: Equatable, Sendable {
    /// The runtime is up; the state asks for its first data.
    case started
    /// A key or mouse event.
    case keyPressed(Key)
    /// The terminal is now `rows` x `columns`.
    case resized(rows: Int, columns: Int)
    /// Results for the search numbered `seq`.
    case searchResults(seq: Int, hits: [Hit])
    /// The search numbered `seq` failed.
    case searchFailed(seq: Int, message: String)
    /// The index summary.
    case summaryLoaded(IndexSummary)
    /// A thumbnail, or nil when the photo has none (unreadable file).
    case thumbnailLoaded(photoID: Int64, image: RGBImage?)
    /// A detail record.
    case detailLoaded(PhotoDetail)
    /// Reindexing advanced.
    case indexProgress(IndexProgress)
    /// Reindexing ended; the new summary.
    case indexFinished(IndexSummary)
    /// Reindexing stopped with an error.
    case indexFailed(String)
    /// Start a background reindex as if `r` was pressed (e.g. a folder given
    /// on the command line is not indexed yet).
    case reindexRequested
    /// The search model was switched; the summary names the new one.
    case modelSwitched(IndexSummary)
    /// Switching the model failed; the previous model still answers.
    case modelSwitchFailed(String)
    /// Something failed; shown in the status line.
    case error(String)
    /// An informational message for the status line.
    case notice(String)
    /// The index changed outside this explorer (`picseek watch` added photos).
    case indexChanged
    /// Reading the words in photos advanced.
    case wordsProgress(WordsProgress)
    /// Reading the words in photos ended; the new summary.
    case wordsFinished(IndexSummary)
    /// Reading the words in photos stopped with an error (or is not available).
    case wordsFailed(String)
    /// Time passed (drives the activity spinner).
    case tick
}
