/// Progress reported by `ModelFetcher`, for a progress bar or log lines.
public enum FetchEvent: Sendable, Equatable {
    /// A file download starts (or resumes at `resumeFrom` bytes).
    case started(file: String, url: String, total: Int64?, resumeFrom: Int64)
    /// Bytes of the current file received so far.
    case progress(file: String, received: Int64, total: Int64?)
    /// The transfer was interrupted and is retried with a Range request.
    case retrying(file: String, received: Int64, reason: String)
    /// The file is being hashed.
    case verifying(file: String)
    /// The file is complete; `sha256` is what it hashed to, `verified` whether it was compared.
    case finished(file: String, bytes: Int64, sha256: String, verified: Bool)
    /// A file already downloaded by an earlier run is reused.
    case reused(file: String)
    /// A PyTorch pickle is being converted to safetensors.
    case converting(file: String)
}
