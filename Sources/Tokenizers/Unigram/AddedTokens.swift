/// The `added_tokens` of a `tokenizer.json` (`<s>`, `</s>`, `<mask>` …): found in the raw
/// text before normalization and emitted as their own ids, as `tokenizers` does.
struct AddedTokens: Sendable {
    struct Token: Sendable {
        let id: Int
        let content: [Unicode.Scalar]
        let leftStrip: Bool
        let rightStrip: Bool
        let singleWord: Bool
    }

    /// A part of the input: plain text for the model, or an added token's id.
    enum Segment {
        case text([Unicode.Scalar])
        case token(Int)
    }

    let tokens: [Token]
    /// Tokens by their first scalar, longest first (leftmost-longest matching).
    private let byFirstScalar: [Unicode.Scalar: [Token]]

    init(_ tokens: [Token]) {
        self.tokens = tokens
        var index: [Unicode.Scalar: [Token]] = [:]
        for token in tokens where !token.content.isEmpty {
            index[token.content[0], default: []].append(token)
        }
        for key in index.keys {
            index[key]?.sort { $0.content.count > $1.content.count }
        }
        byFirstScalar = index
    }

    /// Splits `text` around the added tokens it contains.
    func split(_ text: [Unicode.Scalar]) -> [Segment] {
        guard !byFirstScalar.isEmpty else { return [.text(text)] }
        var segments: [Segment] = []
        var textStart = 0
        var index = 0
        while index < text.count {
            guard let candidates = byFirstScalar[text[index]],
                let token = candidates.first(where: { matches($0, text, at: index) })
            else {
                index += 1
                continue
            }
            var before = index
            if token.leftStrip {
                while before > textStart && text[before - 1].properties.isWhitespace { before -= 1 }
            }
            var after = index + token.content.count
            if token.rightStrip {
                while after < text.count && text[after].properties.isWhitespace { after += 1 }
            }
            if before > textStart { segments.append(.text(Array(text[textStart..<before]))) }
            segments.append(.token(token.id))
            textStart = after
            index = after
        }
        if textStart < text.count { segments.append(.text(Array(text[textStart...]))) }
        return segments
    }

    private func matches(_ token: Token, _ text: [Unicode.Scalar], at index: Int) -> Bool {
        let end = index + token.content.count
        guard end <= text.count else { return false }
        for offset in 0..<token.content.count where text[index + offset] != token.content[offset] {
            return false
        }
        if token.singleWord {
            func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
                scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
            }
            if index > 0 && isWordCharacter(text[index - 1]) { return false }
            if end < text.count && isWordCharacter(text[end]) { return false }
        }
        return true
    }
}
