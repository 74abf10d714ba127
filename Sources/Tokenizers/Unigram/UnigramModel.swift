/// A SentencePiece Unigram model: scored pieces and Viterbi segmentation, with the semantics
/// of Hugging Face `tokenizers`' `Unigram` (unknown characters scored `min_score - 10`,
/// consecutive unknowns fused into one token, optional byte fallback).
struct UnigramModel: Sendable {
    /// `K_UNK_PENALTY` in sentencepiece and `tokenizers`.
    static let unknownPenalty = 10.0

    private let scores: [Double]
    /// All pieces' UTF-8 bytes, back to back; piece `i` is `bytes[starts[i]..<starts[i+1]]`.
    private let pieceBytes: [UInt8]
    private let pieceStarts: [Int32]
    /// Open-addressing hash table (linear probing) of piece ids by 64-bit FNV-1a hash of the
    /// piece's bytes; -1 marks an empty slot. `slotHashes` keeps each slot's full hash.
    private let slots: [Int32]
    private let slotHashes: [UInt64]
    private let slotMask: Int
    private let longestPieceBytes: Int
    let unknownID: Int
    let byteFallback: Bool
    private let unknownScore: Double
    /// Ids of `<0x00>` … `<0xFF>` (nil where missing), used with byte fallback.
    private var byteTokenIDs: [Int?] = []

    /// - Parameter pieces: `(piece, score)` in id order, stored flat.
    init(pieces: StringNumberPairs, unknownID: Int, byteFallback: Bool) {
        let bytes = pieces.bytes
        let starts = pieces.starts
        var capacity = 16
        while capacity < pieces.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        var slotHashes = [UInt64](repeating: 0, count: capacity)
        let mask = capacity - 1
        var longest = 0
        var minScore = Double.infinity
        bytes.withUnsafeBufferPointer { buffer in
            for id in 0..<pieces.count {
                let start = Int(starts[id])
                let end = Int(starts[id + 1])
                minScore = min(minScore, pieces.numbers[id])
                longest = max(longest, end - start)
                let hash = Self.hash(buffer, start, end - start)
                var slot = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let existing = slots[slot]
                    if existing < 0 {
                        slots[slot] = Int32(id)
                        slotHashes[slot] = hash
                        break
                    }
                    if slotHashes[slot] == hash
                        && Self.equal(
                            buffer, Int(starts[Int(existing)]), Int(starts[Int(existing) + 1]),
                            start, end)
                    {
                        // A repeated piece: the later id wins, as in `tokenizers`' HashMap.
                        slots[slot] = Int32(id)
                        break
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
        self.scores = pieces.numbers
        self.pieceBytes = bytes
        self.pieceStarts = starts
        self.slots = slots
        self.slotHashes = slotHashes
        self.slotMask = mask
        self.longestPieceBytes = longest
        self.unknownID = unknownID
        self.byteFallback = byteFallback
        self.unknownScore = (pieces.count == 0 ? 0 : minScore) - Self.unknownPenalty
        if byteFallback {
            byteTokenIDs = (0..<256).map { byte in
                let hex = String(byte, radix: 16, uppercase: true)
                let name = "<0x" + (byte < 16 ? "0" : "") + hex + ">"
                return Self.lookup(Array(name.utf8), in: self)
            }
        }
    }

    var count: Int { scores.count }

    @inline(__always)
    private static func hashStep(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x100_0000_01B3
    }

    private static let hashSeed: UInt64 = 0xCBF2_9CE4_8422_2325

    private static func hash(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int)
        -> UInt64
    {
        var hash = hashSeed
        for i in start..<start + length { hash = hashStep(hash, buffer[i]) }
        return hash
    }

    private static func equal(
        _ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int
    ) -> Bool {
        guard aEnd - a == bEnd - b else { return false }
        for i in 0..<(aEnd - a) where bytes[a + i] != bytes[b + i] { return false }
        return true
    }

    /// The id of the piece equal to `key`, or nil.
    static func lookup(_ key: [UInt8], in model: UnigramModel) -> Int? {
        key.withUnsafeBufferPointer { buffer in
            model.id(hash: hash(buffer, 0, buffer.count), buffer, 0, buffer.count)
        }
    }

    /// The id of the piece with hash `hash` whose bytes equal `buffer[start..<end]`.
    @inline(__always)
    private func id(hash: UInt64, _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
        -> Int?
    {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let candidate = slots[slot]
            if candidate < 0 { return nil }
            if slotHashes[slot] == hash && matches(Int(candidate), buffer, start, end) {
                return Int(candidate)
            }
            slot = (slot + 1) & slotMask
        }
    }

    @inline(__always)
    private func matches(_ id: Int, _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int)
        -> Bool
    {
        let pieceStart = Int(pieceStarts[id])
        let pieceEnd = Int(pieceStarts[id + 1])
        guard pieceEnd - pieceStart == end - start else { return false }
        var i = 0
        while i < end - start {
            if pieceBytes[pieceStart + i] != buffer[start + i] { return false }
            i += 1
        }
        return true
    }

    /// Appends the ids of the best segmentation of `text` (one pre-token) to `ids`.
    func encode(_ text: [Unicode.Scalar], into ids: inout [Int]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count * 3)
        for scalar in text { bytes.append(contentsOf: scalar.utf8) }
        guard !bytes.isEmpty else { return }
        let size = bytes.count
        // Best path ending at each byte offset: score, start offset (-1: none yet), id.
        var bestScore = [Double](repeating: 0, count: size + 1)
        var bestStart = [Int](repeating: -1, count: size + 1)
        var bestID = [Int](repeating: 0, count: size + 1)
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < size {
                let scoreHere = bestScore[start]
                let charLength = Self.utf8Length(buffer[start])
                var hasSingleCharacter = false
                var hash = Self.hashSeed
                let limit = min(size, start + longestPieceBytes)
                var end = start
                while end < limit {
                    hash = Self.hashStep(hash, buffer[end])
                    end += 1
                    // Pieces are whole UTF-8 strings: only test at character boundaries.
                    if end < size && (buffer[end] & 0xC0) == 0x80 { continue }
                    guard let id = id(hash: hash, buffer, start, end) else { continue }
                    let candidate = scores[id] + scoreHere
                    if bestStart[end] < 0 || candidate > bestScore[end] {
                        bestScore[end] = candidate
                        bestStart[end] = start
                        bestID[end] = id
                    }
                    if end - start == charLength { hasSingleCharacter = true }
                }
                if !hasSingleCharacter {
                    let end = min(size, start + charLength)
                    let candidate = unknownScore + scoreHere
                    if bestStart[end] < 0 || candidate > bestScore[end] {
                        bestScore[end] = candidate
                        bestStart[end] = start
                        bestID[end] = unknownID
                    }
                }
                start += charLength
            }
        }
        // Backtrack; consecutive unknown characters are fused into one token.
        var segments: [(start: Int, end: Int, unknown: Bool)] = []
        var end = size
        while end > 0 {
            let start = bestStart[end]
            guard start >= 0 else { break }
            let unknown = bestID[end] == unknownID
            if unknown, let last = segments.last, last.unknown {
                segments[segments.count - 1] = (start, last.end, true)
            } else {
                segments.append((start, end, unknown))
            }
            end = start
        }
        for segment in segments.reversed() {
            if !segment.unknown {
                // Not fused: the piece found in the lattice.
                ids.append(bestID[segment.end])
                continue
            }
            let slice = Array(bytes[segment.start..<segment.end])
            if let id = Self.lookup(slice, in: self) {
                ids.append(id)
            } else if byteFallback, !byteTokenIDs.isEmpty,
                case let byteIDs = slice.compactMap({ byteTokenIDs[Int($0)] }),
                byteIDs.count == slice.count
            {
                ids.append(contentsOf: byteIDs)
            } else {
                ids.append(unknownID)
            }
        }
    }

    @inline(__always)
    private static func utf8Length(_ lead: UInt8) -> Int {
        switch lead {
        case 0..<0x80: return 1
        case 0xC0..<0xE0: return 2
        case 0xE0..<0xF0: return 3
        default: return 4
        }
    }
}
