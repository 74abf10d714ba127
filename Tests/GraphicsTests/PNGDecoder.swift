/// A PNG reader for the tests, independent of the encoder's code: checks the signature, every
/// chunk's CRC-32 (computed bit by bit here), IHDR, the zlib header and Adler-32, inflates the
/// data (`Inflate`) and undoes the row filters. Other chunks are refused unless `allowOther`.
enum PNGDecodeError: Error, Equatable {
    case malformed(String)
}

struct DecodedPNG {
    var width: Int
    var height: Int
    var pixels: [UInt8]
    var chunkTypes: [String]
    /// Deflate block types in order (0 stored, 1 fixed Huffman, 2 dynamic Huffman).
    var blockTypes: [Int]
}

enum PNGDecoder {
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    static func bigEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8
            | UInt32(bytes[at + 3])
    }

    static func decode(_ bytes: [UInt8], allowOther: Bool = false) throws -> DecodedPNG {
        func fail(_ why: String) -> PNGDecodeError { .malformed(why) }
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 8, Array(bytes[0..<8]) == signature
        else { throw fail("signature") }
        var at = 8
        var types: [String] = []
        var width = 0, height = 0
        var idat: [UInt8] = []
        while at < bytes.count {
            guard at + 12 <= bytes.count else { throw fail("truncated chunk") }
            let length = Int(bigEndian(bytes, at))
            guard at + 12 + length <= bytes.count else { throw fail("chunk length") }
            let type = String(decoding: bytes[(at + 4)..<(at + 8)], as: UTF8.self)
            let data = Array(bytes[(at + 8)..<(at + 8 + length)])
            let stored = bigEndian(bytes, at + 8 + length)
            guard crc32(bytes[(at + 4)..<(at + 8 + length)]) == stored else {
                throw fail("crc of \(type)")
            }
            types.append(type)
            switch type {
            case "IHDR":
                guard length == 13 else { throw fail("IHDR length") }
                width = Int(bigEndian(data, 0))
                height = Int(bigEndian(data, 4))
                guard Array(data[8..<13]) == [8, 2, 0, 0, 0] else { throw fail("IHDR format") }
            case "IDAT": idat += data
            case "IEND": guard length == 0 else { throw fail("IEND length") }
            default: if !allowOther { throw fail("unexpected chunk \(type)") }
            }
            at += 12 + length
        }
        guard types.first == "IHDR", types.last == "IEND" else { throw fail("chunk order") }

        // zlib header, stored blocks, Adler-32.
        guard idat.count >= 6 else { throw fail("short zlib stream") }
        guard idat[0] & 0x0F == 8, (Int(idat[0]) * 256 + Int(idat[1])) % 31 == 0,
            idat[1] & 0x20 == 0
        else { throw fail("zlib header") }
        let (raw, p, blockTypes) = try Inflate.inflate(idat, from: 2)
        guard p + 4 == idat.count else { throw fail("bytes after the last block") }
        guard bigEndian(idat, p) == adler32(raw) else { throw fail("adler-32") }

        // Undo the filters.
        let stride = width * 3
        guard raw.count == height * (stride + 1) else { throw fail("scanline bytes") }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            for i in 0..<stride {
                let x = Int(raw[y * (stride + 1) + 1 + i])
                let a = i >= 3 ? Int(pixels[y * stride + i - 3]) : 0
                let b = y > 0 ? Int(pixels[(y - 1) * stride + i]) : 0
                let c = i >= 3 && y > 0 ? Int(pixels[(y - 1) * stride + i - 3]) : 0
                let predictor: Int
                switch filter {
                case 0: predictor = 0
                case 1: predictor = a
                case 2: predictor = b
                case 3: predictor = (a + b) / 2
                case 4:
                    let estimate = a + b - c
                    let pa = abs(estimate - a), pb = abs(estimate - b), pc = abs(estimate - c)
                    predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw fail("filter \(filter)")
                }
                pixels[y * stride + i] = UInt8((x + predictor) & 0xFF)
            }
        }
        return DecodedPNG(
            width: width, height: height, pixels: pixels, chunkTypes: types,
            blockTypes: blockTypes)
    }
}
