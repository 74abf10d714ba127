/// Why a tokenizer could not be loaded; every case names the file.
///
/// Messages are lowercase, without a final period, and quote the path as given (callers
/// escape it with `TerminalSafe.escape` before printing).
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// The file does not exist or cannot be read.
    case unreadableFile(path: String, reason: String)
    /// The file is not valid UTF-8 text.
    case notUTF8(path: String)
    /// The vocabulary lacks a token the tokenizer needs (`[UNK]`, `[CLS]`, `<s>` …).
    case missingToken(path: String, token: String)
    /// The JSON is malformed or lacks a required field.
    case malformedJSON(path: String, reason: String)
    /// The file asks for a component this implementation does not support.
    case unsupported(path: String, component: String, type: String)
    /// A value inside the file is out of range or inconsistent.
    case invalidValue(path: String, reason: String)
    /// The context length passed by the caller cannot hold the special tokens.
    case invalidContextLength(Int)

    /// A one-line, lowercase message naming the file and the reason.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read tokenizer file \(path): \(reason)"
        case .notUTF8(let path):
            return "tokenizer file \(path) is not valid UTF-8 text"
        case .missingToken(let path, let token):
            return "tokenizer file \(path) has no \(token) token"
        case .malformedJSON(let path, let reason):
            return "malformed tokenizer JSON in \(path): \(reason)"
        case .unsupported(let path, let component, let type):
            return "unsupported \(component) type \(type) in \(path)"
        case .invalidValue(let path, let reason):
            return "invalid value in tokenizer file \(path): \(reason)"
        case .invalidContextLength(let length):
            return "context length \(length) is too small to hold the special tokens"
        }
    }
}
