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
    /// Piece id by 64-bit FNV-1a hash of its bytes; collisions go to `collisions`.
    private let idByHash: [UInt64: Int32]
    private let collisions: [UInt64: [Int32]]
    private let longestPieceBytes: Int
    let unknownID: Int
    let byteFallback: Bool
    private let unknownScore: Double
    /// Ids of `<0x00>` … `<0xFF>` (nil where missing), used with byte fallback.
    private var byteTokenIDs: [Int?] = []

    /// - Parameter pieces: `(piece, score)` in id order.
    init(pieces: [(String, Double)], unknownID: Int, byteFallback: Bool) {
        var scores: [Double] = []
        scores.reserveCapacity(pieces.count)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pieces.count * 8)
        var starts: [Int32] = [0]
        starts.reserveCapacity(pieces.count + 1)
        var idByHash: [UInt64: Int32] = [:]
        idByHash.reserveCapacity(pieces.count)
        var collisions: [UInt64: [Int32]] = [:]
        var longest = 0
        var minScore = Double.infinity
        for (id, (piece, score)) in pieces.enumerated() {
            let start = bytes.count
            bytes.append(contentsOf: piece.utf8)
            starts.append(Int32(bytes.count))
            scores.append(score)
            minScore = min(minScore, score)
            let length = bytes.count - start
            longest = max(longest, length)
            let hash = bytes.withUnsafeBufferPointer { Self.hash($0, start, length) }
            if let existing = idByHash[hash] {
                let same = existing >= 0 && Self.equal(bytes, Int(starts[Int(existing)]),
                    Int(starts[Int(existing) + 1]), start, bytes.count)
                if same {
                    // A repeated piece: the later id wins, as in `tokenizers`' HashMap.
                    idByHash[hash] = Int32(id)
                } else {
                    var list = collisions[hash] ?? (existing >= 0 ? [existing] : [])
                    list.removeAll { Self.equal(bytes, Int(starts[Int($0)]), Int(starts[Int($0) + 1]), start, bytes.count) }
                    list.append(Int32(id))
                    collisions[hash] = list
                    idByHash[hash] = -1
                }
            } else {
                idByHash[hash] = Int32(id)
            }
        }
        self.scores = scores
        self.pieceBytes = bytes
        self.pieceStarts = starts
        self.idByHash = idByHash
        self.collisions = collisions
        self.longestPieceBytes = longest
        self.unknownID = unknownID
        self.byteFallback = byteFallback
        self.unknownScore = (pieces.isEmpty ? 0 : minScore) - Self.unknownPenalty
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

    private static func hash(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> UInt64 {
        var hash = hashSeed
        for i in start..<start + length { hash = hashStep(hash, buffer[i]) }
        return hash
    }

    private static func equal(_ bytes: [UInt8], _ a: Int, _ aEnd: Int, _ b: Int, _ bEnd: Int) -> Bool {
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
    private func id(hash: UInt64, _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard let found = idByHash[hash] else { return nil }
        if found >= 0 {
            return matches(Int(found), buffer, start, end) ? Int(found) : nil
        }
        for candidate in collisions[hash] ?? [] where matches(Int(candidate), buffer, start, end) {
            return Int(candidate)
        }
        return nil
    }

    @inline(__always)
    private func matches(_ id: Int, _ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
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
                case let byteIDs = slice.compactMap({ byteTokenIDs[Int($0)] }), byteIDs.count == slice.count
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
