/// Why an embedding request was rejected.
public enum CLIPError: Error, Equatable, CustomStringConvertible {
    /// An image tensor does not have `3 * size * size` values.
    case badPixelCount(index: Int, expected: Int, found: Int)
    /// A token sequence is empty.
    case noTokens
    /// A token sequence is longer than the position table allows.
    case tooManyTokens(count: Int, limit: Int)
    /// A token id is outside the vocabulary.
    case tokenOutOfRange(id: Int, vocabularySize: Int)
    /// Text embedding needs a tokenizer, and none is available.
    case tokenizerUnavailable(reason: String)

    public var description: String {
        switch self {
        case .badPixelCount(let i, let e, let f):
            return "image \(i): expected \(e) preprocessed values, found \(f)"
        case .noTokens: return "text has no tokens"
        case .tooManyTokens(let c, let l): return "text has \(c) tokens, more than the model's \(l)"
        case .tokenOutOfRange(let id, let v):
            return "token id \(id) is outside the vocabulary of \(v)"
        case .tokenizerUnavailable(let reason): return reason
        }
    }
}
