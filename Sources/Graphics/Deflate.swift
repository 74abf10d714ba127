/// A small deflate compressor (RFC 1951) in the manner of zlib's `Z_RLE` strategy: literals and
/// runs of the previous byte (matches at distance 1) in one dynamic Huffman block, or stored
/// blocks when those come out smaller. On PNG scanlines after row filtering this gets most of
/// what full LZ77 would on photos, at a fraction of the time.
enum Deflate {
    /// Shortest run written as a match.
    static let minimumRun = 4

    /// The raw deflate stream (no zlib header) for `data`.
    static func compress(_ data: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let n = data.count
        // Tokens: a literal byte, or 0x10000 | run length (3...258) at distance 1.
        var tokens: [UInt32] = []
        tokens.reserveCapacity(n)
        var literalFrequency = [Int](repeating: 0, count: 286)
        var i = 0
        while i < n {
            if i > 0 {
                let previous = data[i - 1]
                var run = 0
                while run < 258 && i + run < n && data[i + run] == previous { run += 1 }
                if run >= minimumRun {
                    tokens.append(0x10000 | UInt32(run))
                    literalFrequency[257 + Int(lengthSymbol[run])] += 1
                    i += run
                    continue
                }
            }
            tokens.append(UInt32(data[i]))
            literalFrequency[Int(data[i])] += 1
            i += 1
        }
        literalFrequency[256] = 1

        let literalLengths = HuffmanCode.lengths(frequencies: literalFrequency, limit: 15)
        // Two distance codes of one bit (code 0 is distance 1): a complete code, as zlib writes.
        let distanceLengths = [1, 1]
        let literalCount = max(257, (literalLengths.lastIndex { $0 != 0 } ?? 256) + 1)
        let allLengths = Array(literalLengths[0..<literalCount]) + distanceLengths
        var lengthFrequency = [Int](repeating: 0, count: 19)
        for l in allLengths { lengthFrequency[l] += 1 }
        let lengthLengths = HuffmanCode.lengths(frequencies: lengthFrequency, limit: 7)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var lengthCodeCount = 19
        while lengthCodeCount > 4 && lengthLengths[order[lengthCodeCount - 1]] == 0 {
            lengthCodeCount -= 1
        }

        // Size of the Huffman block in bits, to compare with stored blocks.
        var bits = 3 + 5 + 5 + 4 + 3 * lengthCodeCount
        for l in allLengths { bits += lengthLengths[l] }
        for s in 0..<286 where literalFrequency[s] > 0 {
            var extra = 0
            if s > 256 { extra = Int(lengthExtraBits[s - 257]) + 1 } // + 1 distance bit
            bits += literalFrequency[s] * (literalLengths[s] + extra)
        }
        let storedBytes = n + 5 * max(1, (n + 65534) / 65535)
        if (bits + 7) / 8 >= storedBytes { return stored(data) }

        let literalCodes = HuffmanCode.codes(lengths: literalLengths)
        let lengthCodes = HuffmanCode.codes(lengths: lengthLengths)
        var out = BitWriter(capacity: (bits + 7) / 8 + 16)
        out.write(1, 1) // final block
        out.write(2, 2) // dynamic Huffman
        out.write(UInt64(literalCount - 257), 5)
        out.write(UInt64(distanceLengths.count - 1), 5)
        out.write(UInt64(lengthCodeCount - 4), 4)
        for k in 0..<lengthCodeCount { out.write(UInt64(lengthLengths[order[k]]), 3) }
        for l in allLengths { out.write(UInt64(lengthCodes[l]), lengthLengths[l]) }
        tokens.withUnsafeBufferPointer { tokens in
            literalCodes.withUnsafeBufferPointer { codes in
                literalLengths.withUnsafeBufferPointer { lengths in
                    for token in tokens {
                        if token < 0x10000 {
                            let s = Int(token)
                            out.write(UInt64(codes[s]), lengths[s])
                        } else {
                            let run = Int(token & 0xFFFF)
                            let k = Int(lengthSymbol[run])
                            out.write(UInt64(codes[257 + k]), lengths[257 + k])
                            out.write(UInt64(run - Int(lengthBase[k])), Int(lengthExtraBits[k]))
                            out.write(0, 1) // distance code 0: distance 1
                        }
                    }
                }
            }
        }
        out.write(UInt64(literalCodes[256]), literalLengths[256])
        return out.finish()
    }

    /// `data` as stored blocks of at most 65535 bytes.
    static func stored(_ data: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let n = data.count
        var out: [UInt8] = []
        out.reserveCapacity(n + 5 * max(1, (n + 65534) / 65535))
        var offset = 0
        repeat {
            let length = min(65535, n - offset)
            let final: UInt8 = offset + length == n ? 1 : 0
            out += [
                final, UInt8(length & 0xFF), UInt8(length >> 8),
                UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF),
            ]
            out += UnsafeBufferPointer(rebasing: data[offset..<(offset + length)])
            offset += length
        } while offset < n
        return out
    }

    /// Length symbol index (0...28, symbol 257 + index) for each match length 0...258.
    static let lengthSymbol: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 259)
        for k in 0..<29 {
            let count = 1 << Int(lengthExtraBits[k])
            for l in Int(lengthBase[k])..<min(259, Int(lengthBase[k]) + count) {
                table[l] = UInt8(k)
            }
        }
        table[258] = 28
        return table
    }()
    static let lengthBase: [UInt16] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ]
    static let lengthExtraBits: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
}

/// Canonical Huffman codes of limited length.
enum HuffmanCode {
    /// Code lengths (0 for unused symbols) of an optimal prefix code for `frequencies`, made no
    /// longer than `limit` by flattening the frequencies until it fits. At least two symbols
    /// get codes (one bit each when only one is used), as inflaters expect.
    static func lengths(frequencies: [Int], limit: Int) -> [Int] {
        var weights = frequencies
        while true {
            let lengths = unlimited(weights)
            if (lengths.max() ?? 0) <= limit { return lengths }
            for s in weights.indices where weights[s] > 0 { weights[s] = (weights[s] + 1) / 2 }
        }
    }

    /// Huffman code lengths by the two-queue method on sorted weights.
    static func unlimited(_ weights: [Int]) -> [Int] {
        var lengths = [Int](repeating: 0, count: weights.count)
        var leaves = weights.indices.filter { weights[$0] > 0 }
        if leaves.count < 2 {
            // One symbol (or none): give it and a neighbour one bit each.
            let first = leaves.first ?? 0
            let second = first == 0 ? 1 : 0
            if weights.count > first { lengths[first] = 1 }
            if weights.count > second { lengths[second] = 1 }
            return lengths
        }
        leaves.sort { weights[$0] != weights[$1] ? weights[$0] < weights[$1] : $0 < $1 }
        let m = leaves.count
        var weight = [Int](repeating: 0, count: 2 * m - 1)
        var parent = [Int](repeating: 0, count: 2 * m - 1)
        for k in 0..<m { weight[k] = weights[leaves[k]] }
        var nextLeaf = 0
        var nextNode = m
        var made = m
        func smallest() -> Int {
            if nextLeaf < m && (nextNode >= made || weight[nextLeaf] <= weight[nextNode]) {
                nextLeaf += 1
                return nextLeaf - 1
            }
            nextNode += 1
            return nextNode - 1
        }
        while made < 2 * m - 1 {
            let a = smallest()
            let b = smallest()
            weight[made] = weight[a] + weight[b]
            parent[a] = made
            parent[b] = made
            made += 1
        }
        var depth = [Int](repeating: 0, count: 2 * m - 1)
        for k in stride(from: 2 * m - 3, through: 0, by: -1) { depth[k] = depth[parent[k]] + 1 }
        for k in 0..<m { lengths[leaves[k]] = depth[k] }
        return lengths
    }

    /// Canonical codes for `lengths` (RFC 1951 3.2.2), bit-reversed for LSB-first writing.
    static func codes(lengths: [Int]) -> [UInt32] {
        var count = [Int](repeating: 0, count: 16)
        for l in lengths where l > 0 { count[l] += 1 }
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for bits in 1..<16 {
            code = (code + count[bits - 1]) << 1
            next[bits] = code
        }
        var codes = [UInt32](repeating: 0, count: lengths.count)
        for (s, l) in lengths.enumerated() where l > 0 {
            var c = next[l]
            next[l] += 1
            var reversed = 0
            for _ in 0..<l {
                reversed = reversed << 1 | (c & 1)
                c >>= 1
            }
            codes[s] = UInt32(reversed)
        }
        return codes
    }
}

/// Bits written least significant first, as deflate packs them.
struct BitWriter {
    var bytes: [UInt8] = []
    var buffer: UInt64 = 0
    var count = 0

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    @inline(__always)
    mutating func write(_ value: UInt64, _ bits: Int) {
        buffer |= value << UInt64(count)
        count += bits
        while count >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            count -= 8
        }
    }

    /// The bytes, the last one padded with zero bits.
    mutating func finish() -> [UInt8] {
        if count > 0 { bytes.append(UInt8(truncatingIfNeeded: buffer)) }
        buffer = 0
        count = 0
        return bytes
    }
}
