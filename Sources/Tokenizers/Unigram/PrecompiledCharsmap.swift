/// SentencePiece's `precompiled_charsmap`: a darts-clone double-array trie over UTF-8 bytes
/// whose values are offsets of NUL-terminated replacement strings.
///
/// Applied the way Hugging Face `tokenizers` (`spm_precompiled`) does: each extended grapheme
/// cluster shorter than 6 UTF-8 bytes is replaced whole by the rule of the *shortest* key
/// that is a prefix of it; otherwise each of its characters is looked up on its own.
struct PrecompiledCharsmap: Sendable {
    struct Malformed: Error {
        let reason: String
    }

    private let units: [UInt32]
    private let normalized: [UInt8]

    /// Parses the decoded blob: a little-endian `UInt32` trie size in bytes, the trie units,
    /// then the replacement strings.
    init(blob: [UInt8]) throws(Malformed) {
        guard blob.count >= 4 else { throw Malformed(reason: "charsmap shorter than its header") }
        let trieSize = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
        guard trieSize % 4 == 0, trieSize >= 4, 4 + trieSize <= blob.count else {
            throw Malformed(reason: "charsmap trie size \(trieSize) does not fit \(blob.count) bytes")
        }
        var units = [UInt32](repeating: 0, count: trieSize / 4)
        for i in 0..<units.count {
            let base = 4 + i * 4
            units[i] = UInt32(blob[base]) | UInt32(blob[base + 1]) << 8 | UInt32(blob[base + 2]) << 16
                | UInt32(blob[base + 3]) << 24
        }
        self.units = units
        self.normalized = Array(blob[(4 + trieSize)...])
        guard String(validating: normalized, as: UTF8.self) != nil else {
            throw Malformed(reason: "charsmap replacement strings are not UTF-8")
        }
    }

    @inline(__always) private static func hasLeaf(_ unit: UInt32) -> Bool { (unit >> 8) & 1 == 1 }
    @inline(__always) private static func value(_ unit: UInt32) -> Int { Int(unit & 0x7FFF_FFFF) }
    @inline(__always) private static func label(_ unit: UInt32) -> UInt32 { unit & 0x8000_00FF }
    @inline(__always) private static func offset(_ unit: UInt32) -> Int {
        Int((unit >> 10) << ((unit & (1 << 9)) >> 6))
    }

    /// The value of the shortest key that is a prefix of `key` (darts-clone
    /// `commonPrefixSearch`, first result), or nil. Out-of-range positions count as no match.
    private func firstPrefixValue<C: Collection>(_ key: C) -> Int? where C.Element == UInt8 {
        guard let first = units.first else { return nil }
        var position = Self.offset(first)
        for byte in key {
            if byte == 0 { break }
            position ^= Int(byte)
            guard position < units.count else { return nil }
            let unit = units[position]
            if Self.label(unit) != UInt32(byte) { return nil }
            position ^= Self.offset(unit)
            if Self.hasLeaf(unit) {
                guard position < units.count else { return nil }
                return Self.value(units[position])
            }
        }
        return nil
    }

    /// The replacement bytes for `chunk`, or nil when no rule applies.
    private func transform<C: Collection>(_ chunk: C) -> ArraySlice<UInt8>? where C.Element == UInt8 {
        guard let start = firstPrefixValue(chunk), start <= normalized.count else { return nil }
        var end = start
        while end < normalized.count && normalized[end] != 0 { end += 1 }
        return normalized[start..<end]
    }

    /// `text` with the charsmap's rules applied.
    func normalize(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for grapheme in text {
            let bytes = grapheme.utf8
            if bytes.count < 6, let replacement = transform(bytes) {
                out.append(contentsOf: replacement)
                continue
            }
            for scalar in grapheme.unicodeScalars {
                let scalarBytes = scalar.utf8
                if let replacement = transform(scalarBytes) {
                    out.append(contentsOf: replacement)
                } else {
                    out.append(contentsOf: scalarBytes)
                }
            }
        }
        // Replacements are validated UTF-8 and are cut at whole entries, so this always decodes.
        return String(decoding: out, as: UTF8.self)
    }
}
