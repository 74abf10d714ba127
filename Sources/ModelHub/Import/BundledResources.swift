import Tokenizers

/// Files picseek ships that an import may need.
enum BundledResources {
    /// The Chinese-CLIP WordPiece vocabulary (21128 entries) bundled with the tokenizer.
    static var chineseCLIPVocab: String? { WordPieceTokenizer.bundledChineseCLIPVocabulary }

    /// Number of entries in the bundled vocabulary.
    static let chineseCLIPVocabSize = 21128
}
