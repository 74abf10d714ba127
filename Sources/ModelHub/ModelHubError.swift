import Foundation
import ModelFiles
import PicseekCore

/// Everything that can go wrong while fetching, importing, reading or choosing a model.
///
/// Messages are lowercase, name the file, URL or tensor involved, and say what to do
/// when there is something to do. Paths and URLs in them come from outside: escape
/// them with `TerminalSafe.escape` before printing.
public enum ModelHubError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The host could not be reached (offline, DNS failure, refused, timed out, TLS).
    case network(url: String, reason: String)
    /// The server answered with an HTTP error status.
    case httpStatus(url: String, status: Int)
    /// The transfer ended before all bytes arrived, even after retrying.
    case truncated(file: String, received: Int64, expected: Int64)
    /// The downloaded bytes have the wrong SHA-256.
    case checksumMismatch(file: String, expected: String, found: String)
    /// The downloaded file has the wrong size.
    case sizeMismatch(file: String, expected: Int64, found: Int64)
    /// A write failed because the disk is full.
    case diskFull(path: String)
    /// Another file-system operation failed.
    case io(path: String, reason: String)
    /// The name is not in the registry and is not an installed model.
    case unknownModel(String)
    /// The name cannot be used as a folder name.
    case invalidName(String)
    /// The model folder already exists.
    case alreadyInstalled(name: String, path: String)
    /// The registry entry cannot be fetched by this build.
    case notFetchable(name: String, reason: String)
    /// A checkpoint file is malformed or unsupported.
    case badCheckpoint(file: String, reason: String)
    /// A pickle names a global that is not on the allow-list; nothing was executed.
    case forbiddenGlobal(file: String, global: String)
    /// A safetensors file is malformed.
    case badSafetensors(file: String, reason: String)
    /// A config file is malformed.
    case badConfig(file: String, reason: String)
    /// No model is installed or chosen; the text explains how to get one.
    case noModel(String)

    public var description: String {
        switch self {
        case .network(let url, let reason):
            return "cannot reach \(url): \(reason) (check the network, or choose a mirror with "
                + "--endpoint URL or PICSEEK_HF_ENDPOINT)"
        case .httpStatus(let url, let status):
            let meaning: String
            switch status {
            case 401: meaning = "unauthorised (the repository may be gated or private)"
            case 403: meaning = "forbidden (the server or a proxy refused access)"
            case 404: meaning = "not found (wrong endpoint, repository, revision or file)"
            case 416: meaning = "range not satisfiable"
            case 429: meaning = "too many requests (try again later)"
            case 500...599: meaning = "server error"
            default: meaning = "unexpected status"
            }
            return "http \(status) \(meaning) for \(url)"
        case .truncated(let file, let received, let expected):
            return "transfer of \(file) stopped after \(received) of \(expected) bytes; run the "
                + "same command again to resume"
        case .checksumMismatch(let file, let expected, let found):
            return "sha-256 mismatch for \(file): expected \(expected), found \(found); the "
                + "corrupt download was deleted"
        case .sizeMismatch(let file, let expected, let found):
            return "size mismatch for \(file): expected \(expected) bytes, found \(found)"
        case .diskFull(let path):
            return "disk full while writing \(path); free some space and run the command again"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .unknownModel(let name):
            return "unknown model \(name); `picseek model list` shows the known and installed ones"
        case .invalidName(let name):
            return "invalid model name \(name): use letters, digits, '.', '_' and '-' only"
        case .alreadyInstalled(let name, let path):
            return "model \(name) is already installed in \(path); remove that folder first to "
                + "install it again"
        case .notFetchable(let name, let reason):
            return "model \(name) cannot be fetched: \(reason)"
        case .badCheckpoint(let file, let reason):
            return "\(file): \(reason)"
        case .forbiddenGlobal(let file, let global):
            return "\(file): the pickle names the global \(global), which is not a tensor-rebuild "
                + "function; refused, nothing was executed"
        case .badSafetensors(let file, let reason):
            return "\(file): not a valid safetensors file: \(reason)"
        case .badConfig(let file, let reason):
            return "\(file): \(reason)"
        case .noModel(let text):
            return text
        }
    }

    public var errorDescription: String? { description }
}

extension ModelHubError {
    /// A `FileReadError` as an I/O error on `path`: the C library's text, or what the
    /// path is when it is not a regular file.
    init(reading error: FileReadError, path: String) {
        switch error {
        case .system(_, _, let code): self = .io(path: path, reason: errnoText(code))
        case .notRegular: self = .io(path: path, reason: "not a regular file")
        case .tooLarge: self = .io(path: path, reason: error.reason)
        }
    }
}

extension ModelHubError {
    /// A `ModelFileError` as the `ModelHubError` with the same message.
    init(_ error: ModelFileError) {
        switch error {
        case .io(let path, let reason): self = .io(path: path, reason: reason)
        case .badSafetensors(let file, let reason):
            self = .badSafetensors(file: file, reason: reason)
        case .outOfBounds(let file, let reason): self = .badCheckpoint(file: file, reason: reason)
        case .badConfig(let file, let reason): self = .badConfig(file: file, reason: reason)
        }
    }

    /// Runs `body`, turning a `ModelFileError` it throws into the matching `ModelHubError`.
    static func mappingFileErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ModelFileError {
            throw ModelHubError(error)
        }
    }
}

/// The text of a C `errno`, e.g. "no space left on device".
func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code)).lowercased()
}
