/// A text tokenizer that turns a query into the token ids a text tower reads.
///
/// Implementations add the model's special tokens (`[CLS] … [SEP]`, `<s> … </s>`) and
/// truncate to `contextLength`; they never pad. Callers that need a fixed length pad with
/// `padID` themselves.
public protocol TextTokenizer: Sendable {
    /// Token ids including the model's special tokens, truncated to the context length, no padding.
    func encode(_ text: String) -> [Int]
    /// The id of the padding token.
    var padID: Int { get }
    /// The maximum number of ids `encode` returns, special tokens included.
    var contextLength: Int { get }
}
