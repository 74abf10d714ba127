/// A parsed JSON value, as the tokenizer loaders read `tokenizer.json`.
///
/// Objects keep their keys in a dictionary (JSON files from `tokenizers` have unique keys);
/// numbers are `Double`, as `serde_json` reads scores.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// An array whose every element is `[string, number]` (a Unigram vocabulary), stored
    /// flat: the parser builds it directly instead of 250k small arrays.
    case pairs(StringNumberPairs)

    /// The member `key` of an object, or nil.
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var array: [JSONValue]? {
        switch self {
        case .array(let value): return value
        case .pairs(let pairs): return pairs.asArray()
        default: return nil
        }
    }

    /// The elements as flat pairs, if every element is `[string, number]`.
    var pairs: StringNumberPairs? {
        switch self {
        case .pairs(let pairs): return pairs
        case .array(let elements): return StringNumberPairs(elements)
        default: return nil
        }
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// An integer value, if this is a number without a fractional part.
    var int: Int? {
        guard let value = number, value.rounded() == value, abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }
}

/// `[string, number]` pairs stored flat: the UTF-8 bytes of all strings back to back.
struct StringNumberPairs: Sendable {
    /// The strings' bytes; string `i` is `bytes[starts[i]..<starts[i + 1]]`.
    var bytes: [UInt8] = []
    var starts: [Int32] = [0]
    var numbers: [Double] = []

    var count: Int { numbers.count }

    init() {}

    /// Pairs from generic elements, or nil if one is not `[string, number]`.
    init?(_ elements: [JSONValue]) {
        for element in elements {
            guard let pair = element.array, pair.count == 2, let text = pair[0].string,
                let number = pair[1].number
            else { return nil }
            append(Array(text.utf8)[...], number)
        }
    }

    mutating func append(_ stringBytes: ArraySlice<UInt8>, _ number: Double) {
        bytes.append(contentsOf: stringBytes)
        starts.append(Int32(bytes.count))
        numbers.append(number)
    }

    /// String `i`.
    func string(_ i: Int) -> String {
        String(decoding: bytes[Int(starts[i])..<Int(starts[i + 1])], as: UTF8.self)
    }

    func asArray() -> [JSONValue] {
        (0..<count).map { .array([.string(string($0)), .number(numbers[$0])]) }
    }
}
