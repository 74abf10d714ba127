/// A SentencePiece Unigram tokenizer read from a Hugging Face `tokenizer.json`
/// (XLM-RoBERTa style), as OpenCLIP's `HFTokenizer` runs it.
///
/// The pipeline follows the file: added tokens (`<s>`, `<mask>` …) split out of the raw text,
/// the normalizer (`Precompiled` charsmap, `Replace`, `Strip`, `NFKC` … in a `Sequence`), the
/// pre-tokenizer (`Metaspace`, `WhitespaceSplit`), Viterbi segmentation over the scored
/// pieces, and the post-processor's special tokens. `encode` truncates like
/// `tokenizer(text, truncation=True, max_length=contextLength)`: the special tokens stay and
/// the text's ids are cut to fit. With `cleanWhitespace`, whitespace runs are collapsed and the
/// text stripped first (OpenCLIP's `whitespace_clean`; OpenCLIP's `basic_clean` before it,
/// `ftfy.fix_text` and `html.unescape`, is not reproduced).
///
/// With `pipeline: .transformersXLMRoberta` the file's own normalizer, pre-tokenizer and
/// post-processor give way to those transformers 5's `XLMRobertaTokenizer` builds (what
/// `AutoTokenizer`, and so OpenCLIP, loads for an XLM-R `tokenizer.json`); around special-token
/// literals typed in the text (`<s>`, `</s>`, `<pad>`, `<unk>`, `<mask>`) the two differ.
///
/// Limits: added tokens are all matched in the raw text (`tokenizers` matches those marked
/// `normalized: true` after normalization); pre-tokenizers other than `Metaspace`,
/// `WhitespaceSplit` and `Sequence`, and normalizers other than `Sequence`, `Precompiled`,
/// `Replace`, `Strip`, `NFC`/`NFD`/`NFKC`/`NFKD`, `Lowercase` and `Prepend`, are rejected with
/// `TokenizerError.unsupported`.
public final class UnigramTokenizer: TextTokenizer {
    /// Which text pipeline `encode` runs over the file's vocabulary and added tokens.
    public enum Pipeline: Sendable {
        /// Everything as the file says: what `tokenizers.Tokenizer.from_file` runs.
        case tokenizerFile
        /// What transformers 5's `XLMRobertaTokenizer` rebuilds from the file: the file's
        /// vocabulary, added tokens (with their `lstrip`/`rstrip`) and `Precompiled` charsmap
        /// (the only normalizer kept); `WhitespaceSplit` + `Metaspace(prepend_scheme: always)`;
        /// no byte fallback; `<unk>` at id 3; `<s> … </s>` around the ids. Whitespace next to a
        /// special-token literal is dropped rather than becoming a `▁` piece.
        case transformersXLMRoberta
    }

    /// The maximum number of ids `encode` returns, special tokens included.
    public let contextLength: Int
    /// The id of `<pad>` (1 in XLM-R).
    public let padID: Int
    /// The id unknown characters map to (`<unk>`, 3 in XLM-R).
    public var unknownID: Int { model.unknownID }
    /// The number of pieces in the model's vocabulary.
    public var vocabularySize: Int { model.count }
    /// Whether `encode` first collapses whitespace runs and strips the text.
    public let cleanWhitespace: Bool

    private let model: UnigramModel
    private let normalizer: TextNormalizer?
    private let preTokenizer: PreTokenizer?
    private let addedTokens: AddedTokens
    private let prefixIDs: [Int]
    private let suffixIDs: [Int]

    /// Loads `tokenizer.json`.
    ///
    /// - Throws: `TokenizerError` naming the file: missing or unreadable, malformed JSON, a
    ///   model other than Unigram, an unsupported normalizer, pre-tokenizer or post-processor,
    ///   or a context length too small for the special tokens.
    public init(
        tokenizerJSON path: String, contextLength: Int = 77, cleanWhitespace: Bool = true,
        pipeline: Pipeline = .tokenizerFile
    ) throws {
        let bytes = try TextFile.bytes(path)
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes)
        } catch {
            throw TokenizerError.malformedJSON(
                path: path, reason: "\(error.reason) at byte \(error.offset)")
        }
        guard let modelJSON = root["model"] else {
            throw TokenizerError.malformedJSON(path: path, reason: "no model")
        }
        let modelType = modelJSON["type"]?.string ?? "(none)"
        guard modelType == "Unigram" else {
            throw TokenizerError.unsupported(path: path, component: "model", type: modelType)
        }
        guard let vocab = modelJSON["vocab"] else {
            throw TokenizerError.malformedJSON(path: path, reason: "Unigram model without vocab")
        }
        guard let pieces = vocab.pairs else {
            throw TokenizerError.malformedJSON(
                path: path, reason: "vocab entries are not [piece, score]")
        }
        guard let unknown = modelJSON["unk_id"]?.int, unknown >= 0, unknown < pieces.count else {
            throw TokenizerError.missingToken(path: path, token: "unk_id")
        }
        let added = try Self.addedTokens(root["added_tokens"], path: path)
        addedTokens = added
        let model: UnigramModel
        switch pipeline {
        case .tokenizerFile:
            model = UnigramModel(
                pieces: pieces, unknownID: unknown,
                byteFallback: modelJSON["byte_fallback"]?.bool ?? false)
            self.model = model
            if let json = root["normalizer"], !json.isNull {
                normalizer = try TextNormalizer.make(json, path: path)
            } else {
                normalizer = nil
            }
            if let json = root["pre_tokenizer"], !json.isNull {
                preTokenizer = try PreTokenizer.make(json, path: path)
            } else {
                preTokenizer = nil
            }
            (prefixIDs, suffixIDs) = try Self.specials(root["post_processor"], path: path)
        case .transformersXLMRoberta:
            guard pieces.count > 3 else {
                throw TokenizerError.missingToken(path: path, token: "<unk>")
            }
            model = UnigramModel(pieces: pieces, unknownID: 3, byteFallback: false)
            self.model = model
            normalizer = try Self.precompiled(root["normalizer"]).map {
                try TextNormalizer.make($0, path: path)
            }
            preTokenizer = .sequence([
                .whitespaceSplit,
                .metaspace(replacement: "\u{2581}", prependScheme: .always, split: true),
            ])
            func tokenID(_ name: String) throws -> Int {
                let scalars = Array(name.unicodeScalars)
                if let token = added.tokens.last(where: { $0.content == scalars }) {
                    return token.id
                }
                if let id = UnigramModel.lookup(Array(name.utf8), in: model) { return id }
                throw TokenizerError.missingToken(path: path, token: name)
            }
            (prefixIDs, suffixIDs) = ([try tokenID("<s>")], [try tokenID("</s>")])
        }
        guard contextLength >= prefixIDs.count + suffixIDs.count + 1 else {
            throw TokenizerError.invalidContextLength(contextLength)
        }
        self.contextLength = contextLength
        self.cleanWhitespace = cleanWhitespace

        func vocabID(_ piece: String) -> Int? {
            UnigramModel.lookup(Array(piece.utf8), in: model)
        }
        if let pad = root["padding"]?["pad_id"]?.int {
            padID = pad
        } else if let pad = added.tokens.first(where: {
            String(String.UnicodeScalarView($0.content)) == "<pad>"
        }) {
            padID = pad.id
        } else if let pad = vocabID("<pad>") {
            padID = pad
        } else {
            throw TokenizerError.missingToken(path: path, token: "<pad>")
        }
    }

    /// Token ids of `text`: the post-processor's specials around at most
    /// `contextLength - specials` ids of the text.
    public func encode(_ text: String) -> [Int] {
        let body = pieceIDs(text)
        let room = contextLength - prefixIDs.count - suffixIDs.count
        return prefixIDs + body.prefix(room) + suffixIDs
    }

    /// Ids of `text` without special tokens or truncation.
    public func pieceIDs(_ text: String) -> [Int] {
        let input = cleanWhitespace ? Self.whitespaceClean(text) : text
        var ids: [Int] = []
        var first = true
        for segment in addedTokens.split(Array(input.unicodeScalars)) {
            switch segment {
            case .token(let id):
                ids.append(id)
                first = false
            case .text(let scalars):
                var segmentText = String(String.UnicodeScalarView(scalars))
                if let normalizer { segmentText = normalizer.apply(segmentText) }
                var pieces = [
                    PreTokenizer.Piece(scalars: Array(segmentText.unicodeScalars), atStart: first)
                ]
                if let preTokenizer { pieces = preTokenizer.apply(pieces) }
                for piece in pieces where !piece.scalars.isEmpty {
                    model.encode(piece.scalars, into: &ids)
                }
                first = false
            }
        }
        return ids
    }

    /// OpenCLIP's `whitespace_clean`: `" ".join(text.split()).strip()`, splitting on what
    /// Python's `str.split()` treats as whitespace.
    public static func whitespaceClean(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if PythonUnicode.isSpace(scalar) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The `Precompiled` normalizer of a file's `normalizer`, alone or in a `Sequence`, as
    /// transformers extracts it (`_spm_precompiled_charsmap`).
    private static func precompiled(_ json: JSONValue?) -> JSONValue? {
        guard let json, !json.isNull else { return nil }
        let items = json["type"]?.string == "Sequence" ? (json["normalizers"]?.array ?? []) : [json]
        return items.first {
            $0["type"]?.string == "Precompiled" && $0["precompiled_charsmap"] != nil
        }
    }

    private static func addedTokens(_ json: JSONValue?, path: String) throws -> AddedTokens {
        guard let json, !json.isNull else { return AddedTokens([]) }
        guard let items = json.array else {
            throw TokenizerError.malformedJSON(path: path, reason: "added_tokens is not an array")
        }
        var tokens: [AddedTokens.Token] = []
        for item in items {
            guard let id = item["id"]?.int, let content = item["content"]?.string else {
                throw TokenizerError.malformedJSON(
                    path: path, reason: "added token without id or content")
            }
            tokens.append(
                AddedTokens.Token(
                    id: id, content: Array(content.unicodeScalars),
                    leftStrip: item["lstrip"]?.bool ?? false,
                    rightStrip: item["rstrip"]?.bool ?? false,
                    singleWord: item["single_word"]?.bool ?? false))
        }
        return AddedTokens(tokens)
    }

    /// The ids the post-processor puts before and after a single sequence.
    private static func specials(_ json: JSONValue?, path: String) throws -> ([Int], [Int]) {
        guard let json, !json.isNull else { return ([], []) }
        let type = json["type"]?.string ?? "(none)"
        func pairID(_ key: String) throws -> Int {
            guard let pair = json[key]?.array, pair.count == 2, let id = pair[1].int else {
                throw TokenizerError.malformedJSON(path: path, reason: "\(type) without \(key)")
            }
            return id
        }
        switch type {
        case "RobertaProcessing", "BertProcessing":
            return ([try pairID("cls")], [try pairID("sep")])
        case "TemplateProcessing":
            guard let single = json["single"]?.array else {
                throw TokenizerError.malformedJSON(
                    path: path, reason: "TemplateProcessing without single")
            }
            var prefix: [Int] = []
            var suffix: [Int] = []
            var seenSequence = false
            for item in single {
                if item["Sequence"] != nil {
                    seenSequence = true
                    continue
                }
                guard let name = item["SpecialToken"]?["id"]?.string else {
                    throw TokenizerError.malformedJSON(
                        path: path,
                        reason: "TemplateProcessing item is neither Sequence nor SpecialToken")
                }
                guard let ids = json["special_tokens"]?[name]?["ids"]?.array else {
                    throw TokenizerError.missingToken(path: path, token: name)
                }
                let values = ids.compactMap(\.int)
                if seenSequence { suffix += values } else { prefix += values }
            }
            return (prefix, suffix)
        default:
            throw TokenizerError.unsupported(path: path, component: "post_processor", type: type)
        }
    }
}
