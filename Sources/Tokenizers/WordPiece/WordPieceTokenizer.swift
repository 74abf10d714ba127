import Foundation

/// The BERT basic + WordPiece tokenizer exactly as Chinese-CLIP uses it.
///
/// Equivalent to Hugging Face's Python `BertTokenizer` (`do_lower_case=True`,
/// `tokenize_chinese_chars=True`, accents stripped) and to `cn_clip`'s `FullTokenizer`:
/// clean text, split CJK ideographs, lowercase and strip accents, split punctuation, then
/// greedy longest-match WordPiece with `##` continuations. `encode` returns
/// `[CLS] + ids[:contextLength-2] + [SEP]` without padding.
///
/// Special-token literals typed in the text (`[CLS]`, `[SEP]`, `[UNK]`, `[MASK]`, `[PAD]`,
/// exactly so: case and brackets as in the vocabulary) become their own ids, as
/// transformers' `BertTokenizer` does (its added tokens are matched in the raw text, before
/// cleaning and lowercasing, with no whitespace stripped around them); `cn_clip`'s
/// `FullTokenizer` would split them as text instead.
public final class WordPieceTokenizer: TextTokenizer {
    /// The maximum number of ids `encode` returns, `[CLS]` and `[SEP]` included.
    public let contextLength: Int
    /// The id of `[PAD]` (0 in BERT vocabularies).
    public let padID: Int
    /// The id of `[UNK]`.
    public let unknownID: Int
    /// The id of `[CLS]`.
    public let classID: Int
    /// The id of `[SEP]`.
    public let separatorID: Int
    /// Words longer than this many characters become `[UNK]` (200 in Chinese-CLIP's
    /// tokenizer; Hugging Face's `BertTokenizer` defaults to 100).
    public let maxCharactersPerWord: Int
    /// The number of lines of the vocabulary file.
    public let vocabularySize: Int

    private let basic = BertBasicTokenizer()
    private let specialTokens: AddedTokens
    private let wordStarts: [[UInt32]: Int]
    private let continuations: [[UInt32]: Int]
    private let longestWordStart: Int
    private let longestContinuation: Int

    /// The Chinese-CLIP vocabulary shipped with this module (21128 entries), if the
    /// resource bundle is present.
    ///
    /// The resource bundle is looked up by hand next to the executable rather than
    /// through `Bundle.module`, whose accessor stops the program when it is missing.
    /// An installed executable (`PREFIX/bin/picseek`) finds the file in
    /// `PREFIX/share/picseek/`.
    public static var bundledChineseCLIPVocabulary: String? {
        let name = "chinese-clip-vocab.txt"
        var folders = [Bundle.main.bundlePath, Bundle.main.resourcePath ?? ""]
        var installed: String?
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let bin = (exe as NSString).deletingLastPathComponent
            folders.append(bin)
            installed = (bin as NSString).deletingLastPathComponent + "/share/picseek/" + name
        }
        for folder in folders where !folder.isEmpty {
            for bundle in ["picseek_Tokenizers.resources", "picseek_Tokenizers.bundle"] {
                let candidate = "\(folder)/\(bundle)/\(name)"
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
            }
        }
        if let installed, FileManager.default.fileExists(atPath: installed) { return installed }
        return nil
    }

    /// Loads a BERT `vocab.txt` (one token a line, id = line number - 1).
    ///
    /// - Throws: `TokenizerError` naming the file when it is missing, not UTF-8, or lacks
    ///   `[UNK]`, `[CLS]`, `[SEP]` or `[PAD]`; `.invalidContextLength` below 2.
    public init(
        vocabularyFile: String, contextLength: Int = 52, maxCharactersPerWord: Int = 200
    ) throws {
        guard contextLength >= 2 else { throw TokenizerError.invalidContextLength(contextLength) }
        let text = try TextFile.string(vocabularyFile)
        var starts: [[UInt32]: Int] = [:]
        var continuations: [[UInt32]: Int] = [:]
        var longestStart = 0
        var longestContinuation = 0
        var specials: [String: Int] = [:]
        let specialNames: Set<String> = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]
        var index = 0
        for line in Self.universalLines(text) {
            let scalars = line.unicodeScalars.map(\.value)
            // Python's dict keeps the last id of a repeated token.
            starts[scalars] = index
            longestStart = max(longestStart, scalars.count)
            if scalars.count > 2 && scalars[0] == 0x23 && scalars[1] == 0x23 {
                let rest = Array(scalars[2...])
                continuations[rest] = index
                longestContinuation = max(longestContinuation, rest.count)
            }
            if specialNames.contains(String(line)) { specials[String(line)] = index }
            index += 1
        }
        func special(_ name: String) throws -> Int {
            guard let id = specials[name] else {
                throw TokenizerError.missingToken(path: vocabularyFile, token: name)
            }
            return id
        }
        self.unknownID = try special("[UNK]")
        self.classID = try special("[CLS]")
        self.separatorID = try special("[SEP]")
        self.padID = try special("[PAD]")
        self.contextLength = contextLength
        self.maxCharactersPerWord = maxCharactersPerWord
        self.vocabularySize = index
        self.wordStarts = starts
        self.continuations = continuations
        self.longestWordStart = longestStart
        self.longestContinuation = longestContinuation
        self.specialTokens = AddedTokens(
            specials.map {
                AddedTokens.Token(
                    id: $0.value, content: Array($0.key.unicodeScalars), leftStrip: false,
                    rightStrip: false, singleWord: false)
            })
    }

    /// Token ids of `text`: `[CLS]`, at most `contextLength - 2` WordPiece ids, `[SEP]`.
    public func encode(_ text: String) -> [Int] {
        var ids = [classID]
        ids.append(contentsOf: wordPieceIDs(text).prefix(contextLength - 2))
        ids.append(separatorID)
        return ids
    }

    /// WordPiece ids of `text` without the added `[CLS]`/`[SEP]` or truncation; special-token
    /// literals in the text are their own ids.
    public func wordPieceIDs(_ text: String) -> [Int] {
        var ids: [Int] = []
        for segment in specialTokens.split(Array(text.unicodeScalars)) {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let scalars):
                for word in basic.tokenize(String(String.UnicodeScalarView(scalars))) {
                    appendWordPieces(word.map(\.value), to: &ids)
                }
            }
        }
        return ids
    }

    /// Greedy longest-match-first split of one word; the whole word is `[UNK]` when it is
    /// too long or any part has no match.
    private func appendWordPieces(_ word: [UInt32], to ids: inout [Int]) {
        if word.count > maxCharactersPerWord {
            ids.append(unknownID)
            return
        }
        var pieces: [Int] = []
        var start = 0
        while start < word.count {
            let table = start == 0 ? wordStarts : continuations
            let longest = start == 0 ? longestWordStart : longestContinuation
            var end = min(word.count, start + longest)
            var match: Int?
            while start < end {
                if let id = table[Array(word[start..<end])] {
                    match = id
                    break
                }
                end -= 1
            }
            guard let id = match else {
                ids.append(unknownID)
                return
            }
            pieces.append(id)
            start = end
        }
        ids.append(contentsOf: pieces)
    }

    /// Lines as Python's `readlines()` in text mode yields them (universal newlines:
    /// `\n`, `\r\n` and `\r` all end a line), without the line ends.
    private static func universalLines(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        let scalars = text.unicodeScalars
        var lineStart = scalars.startIndex
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\r" {
                lines.append(Substring(scalars[lineStart..<index]))
                var next = scalars.index(after: index)
                if scalar == "\r" && next < scalars.endIndex && scalars[next] == "\n" {
                    next = scalars.index(after: next)
                }
                lineStart = next
                index = next
            } else {
                index = scalars.index(after: index)
            }
        }
        if lineStart < scalars.endIndex {
            lines.append(Substring(scalars[lineStart..<scalars.endIndex]))
        }
        return lines
    }
}
