/// The pre-tokenizer of a `tokenizer.json`: splits normalized text into the pieces the
/// Unigram model segments one by one.
enum PreTokenizer: Sendable {
    enum PrependScheme: Sendable { case always, first, never }

    case sequence([PreTokenizer])
    case metaspace(replacement: Unicode.Scalar, prependScheme: PrependScheme, split: Bool)
    case whitespaceSplit

    /// Builds the pre-tokenizer described by `json`; `path` names the file in errors.
    static func make(_ json: JSONValue, path: String) throws -> PreTokenizer {
        guard let type = json["type"]?.string else {
            throw TokenizerError.malformedJSON(path: path, reason: "pre_tokenizer without a type")
        }
        switch type {
        case "Sequence":
            guard let items = json["pretokenizers"]?.array else {
                throw TokenizerError.malformedJSON(path: path, reason: "Sequence pre_tokenizer without pretokenizers")
            }
            return .sequence(try items.map { try make($0, path: path) })
        case "Metaspace":
            let text = json["replacement"]?.string ?? "\u{2581}"
            let scalars = Array(text.unicodeScalars)
            guard scalars.count == 1 else {
                throw TokenizerError.invalidValue(path: path, reason: "Metaspace replacement must be one character")
            }
            let scheme: PrependScheme
            switch json["prepend_scheme"]?.string {
            case "always": scheme = .always
            case "first": scheme = .first
            case "never": scheme = .never
            case nil: scheme = (json["add_prefix_space"]?.bool ?? true) ? .always : .never
            case let other?:
                throw TokenizerError.unsupported(path: path, component: "Metaspace prepend_scheme", type: other)
            }
            return .metaspace(replacement: scalars[0], prependScheme: scheme, split: json["split"]?.bool ?? true)
        case "WhitespaceSplit":
            return .whitespaceSplit
        default:
            throw TokenizerError.unsupported(path: path, component: "pre_tokenizer", type: type)
        }
    }

    /// A piece of text and whether it starts at the beginning of the input (for
    /// `prepend_scheme: first`).
    struct Piece {
        var scalars: [Unicode.Scalar]
        var atStart: Bool
    }

    /// Splits `pieces` further.
    func apply(_ pieces: [Piece]) -> [Piece] {
        switch self {
        case .sequence(let items):
            return items.reduce(pieces) { $1.apply($0) }
        case .whitespaceSplit:
            var out: [Piece] = []
            for piece in pieces {
                var current: [Unicode.Scalar] = []
                var currentAtStart = piece.atStart
                for scalar in piece.scalars {
                    if scalar.properties.isWhitespace {
                        if !current.isEmpty { out.append(Piece(scalars: current, atStart: currentAtStart)) }
                        current.removeAll()
                        currentAtStart = false
                    } else {
                        current.append(scalar)
                    }
                }
                if !current.isEmpty { out.append(Piece(scalars: current, atStart: currentAtStart)) }
            }
            return out
        case .metaspace(let replacement, let scheme, let split):
            var out: [Piece] = []
            for piece in pieces {
                var scalars = piece.scalars.map { $0 == " " ? replacement : $0 }
                if !scalars.isEmpty && scalars[0] != replacement {
                    if scheme == .always || (scheme == .first && piece.atStart) {
                        scalars.insert(replacement, at: 0)
                    }
                }
                guard split else {
                    if !scalars.isEmpty { out.append(Piece(scalars: scalars, atStart: piece.atStart)) }
                    continue
                }
                // Split with the delimiter merged into the following piece.
                var current: [Unicode.Scalar] = []
                var currentAtStart = piece.atStart
                for scalar in scalars {
                    if scalar == replacement && !current.isEmpty {
                        out.append(Piece(scalars: current, atStart: currentAtStart))
                        current.removeAll()
                        currentAtStart = false
                    }
                    current.append(scalar)
                }
                if !current.isEmpty { out.append(Piece(scalars: current, atStart: currentAtStart)) }
            }
            return out
        }
    }
}
