/// A small PNG writer for packed 8-bit RGB, with no library behind it: one IHDR, one IDAT holding
/// a zlib stream, and IEND.
///
/// `.fast` (the default) picks a filter per row (the one with the smallest sum of absolute
/// residuals, as libpng does) and compresses with `Deflate`: literals and runs in one dynamic
/// Huffman block, falling back to stored blocks when that is not smaller. `.stored` writes
/// filter None and stored blocks: about 3 bytes a pixel, the quickest to make.
public enum PNGEncoder {
    /// How the image data is packed.
    public enum Compression: Sendable {
        /// Filter None, deflate stored blocks.
        case stored
        /// Adaptive row filters, Huffman-coded literals and runs.
        case fast
    }

    /// The PNG file for packed RGB `pixels` (`width` x `height`, row-major, 3 bytes a pixel).
    ///
    /// Colour type 2 (truecolour), bit depth 8, no interlace, chunk CRC-32s and the zlib
    /// Adler-32 filled in. Zero-size images give an empty array; a buffer of the wrong size is a
    /// programming error (precondition).
    public static func encode(
        pixels: [UInt8], width: Int, height: Int, compression: Compression = .fast
    ) -> [UInt8] {
        precondition(width >= 0 && height >= 0, "image size must not be negative")
        precondition(
            pixels.count == width * height * 3, "pixel buffer must hold width*height*3 bytes")
        if width == 0 || height == 0 { return [] }
        precondition(width < 1 << 31 && height < 1 << 31, "png sides must fit in 31 bits")

        let rowBytes = width * 3
        let rawCount = height * (rowBytes + 1)
        let raw = [UInt8](unsafeUninitializedCapacity: rawCount) { out, initialized in
            pixels.withUnsafeBufferPointer { src in
                guard let s = src.baseAddress, let d = out.baseAddress else { return }
                switch compression {
                case .stored:
                    for y in 0..<height {
                        d[y * (rowBytes + 1)] = 0
                        (d + y * (rowBytes + 1) + 1).update(from: s + y * rowBytes, count: rowBytes)
                    }
                case .fast:
                    filterRows(s, width: width, height: height, into: d)
                }
            }
            initialized = rawCount
        }

        // zlib: CMF/FLG (deflate, 32 KiB window, no dictionary, check bits), the deflate
        // stream, Adler-32 big-endian.
        var zlib: [UInt8] = [0x78, 0x01]
        raw.withUnsafeBufferPointer { raw in
            zlib += compression == .stored ? Deflate.stored(raw) : Deflate.compress(raw)
        }
        appendBigEndian(&zlib, Checksums.adler32(raw))

        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out.reserveCapacity(8 + 25 + 12 + zlib.count + 12)
        var header: [UInt8] = []
        appendBigEndian(&header, UInt32(width))
        appendBigEndian(&header, UInt32(height))
        header += [8, 2, 0, 0, 0]
        appendChunk(&out, type: "IHDR", data: header)
        appendChunk(&out, type: "IDAT", data: zlib)
        appendChunk(&out, type: "IEND", data: [])
        return out
    }

    /// Writes each row with the filter (None, Sub, Up or Paeth) whose residuals have the
    /// smallest sum of absolute values (as signed bytes), preceded by the filter type.
    static func filterRows(
        _ src: UnsafePointer<UInt8>, width: Int, height: Int, into out: UnsafeMutablePointer<UInt8>
    ) {
        let n = width * 3
        // Residual rows for Sub, Up and Paeth; None is the row itself.
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 3 * n)
        defer { scratch.deallocate() }
        let sub = scratch, upRow = scratch + n, paeth = scratch + 2 * n
        @inline(__always) func cost(_ p: UnsafePointer<UInt8>) -> Int {
            var total = 0
            for i in 0..<n { total &+= abs(Int(Int8(bitPattern: p[i]))) }
            return total
        }
        for y in 0..<height {
            let row = src + y * n
            let d = out + y * (n + 1)
            for i in 0..<min(3, n) { sub[i] = row[i] }
            for i in min(3, n)..<n { sub[i] = row[i] &- row[i - 3] }
            var candidates: [(UInt8, UnsafePointer<UInt8>)] = [(0, row), (1, UnsafePointer(sub))]
            if y > 0 {
                let up = src + (y - 1) * n
                for i in 0..<n { upRow[i] = row[i] &- up[i] }
                for i in 0..<min(3, n) { paeth[i] = row[i] &- up[i] }
                for i in min(3, n)..<n {
                    let a = Int(row[i - 3]), b = Int(up[i]), c = Int(up[i - 3])
                    let pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c)
                    let predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                    paeth[i] = row[i] &- UInt8(truncatingIfNeeded: predictor)
                }
                candidates += [(2, UnsafePointer(upRow)), (4, UnsafePointer(paeth))]
            }
            var best = candidates[0]
            var bestCost = Int.max
            for candidate in candidates {
                let c = cost(candidate.1)
                if c < bestCost {
                    bestCost = c
                    best = candidate
                }
            }
            d[0] = best.0
            (d + 1).update(from: best.1, count: n)
        }
    }

    /// Appends length, type, data and the CRC-32 of type and data.
    static func appendChunk(_ out: inout [UInt8], type: String, data: [UInt8]) {
        appendBigEndian(&out, UInt32(data.count))
        let typeBytes = Array(type.utf8)
        out += typeBytes
        out += data
        var crc = Checksums.crc32Update(0xFFFF_FFFF, typeBytes)
        crc = Checksums.crc32Update(crc, data)
        appendBigEndian(&out, ~crc)
    }

    static func appendBigEndian(_ out: inout [UInt8], _ value: UInt32) {
        out += [
            UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF),
            UInt8(value & 0xFF),
        ]
    }
}

/// The two checksums a PNG needs.
public enum Checksums {
    /// CRC-32 (ISO 3309, polynomial 0xEDB88320 reflected) of `bytes`, as PNG chunks use it.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        ~crc32Update(0xFFFF_FFFF, bytes)
    }

    /// Adler-32 of `bytes`, as zlib streams end with it.
    public static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            let n = buffer.count
            while i < n {
                // 5552 is the most bytes before b can overflow 32 bits (zlib's NMAX).
                let end = min(n, i + 5552)
                while i < end {
                    a &+= UInt32(buffer[i])
                    b &+= a
                    i += 1
                }
                a %= 65521
                b %= 65521
            }
        }
        return b << 16 | a
    }

    /// Runs the CRC register `crc` (not inverted) over `bytes`.
    static func crc32Update(_ crc: UInt32, _ bytes: [UInt8]) -> UInt32 {
        var c = crc
        crcTable.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { buffer in
                for byte in buffer {
                    c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8)
                }
            }
        }
        return c
    }

    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
