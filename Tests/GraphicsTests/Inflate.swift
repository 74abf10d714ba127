/// A plain inflate (RFC 1951) for the tests, after Mark Adler's `puff`: stored, fixed and
/// dynamic Huffman blocks, decoded bit by bit. Slow and simple, so it can be read and trusted.
enum InflateError: Error, Equatable {
    case malformed(String)
}

struct Inflate {
    let input: [UInt8]
    var position: Int
    var bitBuffer = 0
    var bitCount = 0
    var output: [UInt8] = []
    /// The type (0 stored, 1 fixed, 2 dynamic) of each block read.
    var blockTypes: [Int] = []

    /// Inflates the deflate stream starting at `start`; returns the data and the offset just
    /// past the stream (whole bytes).
    static func inflate(_ input: [UInt8], from start: Int) throws -> (
        data: [UInt8], end: Int, blockTypes: [Int]
    ) {
        var state = Inflate(input: input, position: start)
        var last = false
        while !last {
            last = try state.bits(1) == 1
            let type = try state.bits(2)
            state.blockTypes.append(type)
            switch type {
            case 0: try state.stored()
            case 1: try state.codes(Huffman.fixedLengths, Huffman.fixedDistances)
            case 2: try state.dynamic()
            default: throw InflateError.malformed("block type 3")
            }
        }
        return (state.output, state.position, state.blockTypes)
    }

    mutating func bits(_ need: Int) throws -> Int {
        var value = bitBuffer
        while bitCount < need {
            guard position < input.count else { throw InflateError.malformed("out of input") }
            value |= Int(input[position]) << bitCount
            position += 1
            bitCount += 8
        }
        bitBuffer = value >> need
        bitCount -= need
        return value & ((1 << need) - 1)
    }

    mutating func stored() throws {
        bitBuffer = 0
        bitCount = 0
        guard position + 4 <= input.count else { throw InflateError.malformed("stored header") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw InflateError.malformed("LEN/NLEN") }
        position += 4
        guard position + length <= input.count else { throw InflateError.malformed("stored data") }
        output += input[position..<(position + length)]
        position += length
    }

    struct Huffman {
        var count = [Int](repeating: 0, count: 16)
        var symbol: [Int]

        init(lengths: [Int]) throws {
            symbol = [Int](repeating: 0, count: lengths.count)
            for length in lengths { count[length] += 1 }
            var left = 1
            for length in 1..<16 {
                left <<= 1
                left -= count[length]
                if left < 0 { throw InflateError.malformed("over-subscribed code") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + count[length] }
            for (s, length) in lengths.enumerated() where length != 0 {
                symbol[offsets[length]] = s
                offsets[length] += 1
            }
        }

        static let fixedLengths: Huffman = {
            var lengths = [Int](repeating: 8, count: 288)
            for s in 144..<256 { lengths[s] = 9 }
            for s in 256..<280 { lengths[s] = 7 }
            return (try? Huffman(lengths: lengths)) ?? Huffman.empty
        }()
        static let fixedDistances: Huffman =
            (try? Huffman(lengths: [Int](repeating: 5, count: 30))) ?? Huffman.empty
        static let empty = Huffman(emptyCount: ())

        private init(emptyCount: Void) { symbol = [] }
    }

    mutating func decode(_ h: Huffman) throws -> Int {
        var code = 0, first = 0, index = 0
        for length in 1..<16 {
            code |= try bits(1)
            let count = h.count[length]
            if code - count < first { return h.symbol[index + (code - first)] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw InflateError.malformed("bad code")
    }

    static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
        59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    static let lengthExtra = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
        4, 5, 5, 5, 5, 0,
    ]
    static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257,
        385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
        16385, 24577,
    ]
    static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9,
        10, 10, 11, 11, 12, 12, 13, 13,
    ]

    mutating func codes(_ lengths: Huffman, _ distances: Huffman) throws {
        while true {
            let s = try decode(lengths)
            if s < 256 {
                output.append(UInt8(s))
            } else if s == 256 {
                return
            } else {
                let i = s - 257
                guard i < 29 else { throw InflateError.malformed("length symbol") }
                let length = Self.lengthBase[i] + (try bits(Self.lengthExtra[i]))
                let d = try decode(distances)
                guard d < 30 else { throw InflateError.malformed("distance symbol") }
                let distance = Self.distanceBase[d] + (try bits(Self.distanceExtra[d]))
                guard distance <= output.count else { throw InflateError.malformed("distance") }
                for _ in 0..<length { output.append(output[output.count - distance]) }
            }
        }
    }

    mutating func dynamic() throws {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeCount = try bits(4) + 4
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengths = [Int](repeating: 0, count: 19)
        for i in 0..<codeCount { codeLengths[order[i]] = try bits(3) }
        let lengthCode = try Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
            let s = try decode(lengthCode)
            switch s {
            case 0..<16: lengths.append(s)
            case 16:
                guard let previous = lengths.last else { throw InflateError.malformed("repeat") }
                lengths += [Int](repeating: previous, count: 3 + (try bits(2)))
            case 17: lengths += [Int](repeating: 0, count: 3 + (try bits(3)))
            default: lengths += [Int](repeating: 0, count: 11 + (try bits(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else {
            throw InflateError.malformed("too many lengths")
        }
        try codes(
            Huffman(lengths: Array(lengths[0..<literalCount])),
            Huffman(lengths: Array(lengths[literalCount...])))
    }
}
