/// A small PNG writer for packed 8-bit RGB, with no library behind it: one IHDR, one IDAT holding
/// a zlib stream of deflate "stored" (uncompressed) blocks, and IEND.
///
/// Stored blocks keep the encoder fast and simple (a tile of 160 x 96 pixels takes well under a
/// millisecond); the file is about 3 bytes per pixel plus 1 byte per row and 5 bytes per 64 KiB,
/// which is what a terminal on the same machine reads without trouble.
public enum PNGEncoder {
    /// The PNG file for packed RGB `pixels` (`width` x `height`, row-major, 3 bytes a pixel).
    ///
    /// Colour type 2 (truecolour), bit depth 8, no interlace, filter type 0 on every row, chunk
    /// CRC-32s and the zlib Adler-32 filled in. Zero-size images give an empty array; a buffer
    /// of the wrong size is a programming error (precondition).
    public static func encode(pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        precondition(width >= 0 && height >= 0, "image size must not be negative")
        precondition(pixels.count == width * height * 3, "pixel buffer must hold width*height*3 bytes")
        if width == 0 || height == 0 { return [] }
        precondition(width < 1 << 31 && height < 1 << 31, "png sides must fit in 31 bits")

        // The filtered scanlines: a 0 (filter None) before each row.
        let rowBytes = width * 3
        let rawCount = height * (rowBytes + 1)
        let raw = [UInt8](unsafeUninitializedCapacity: rawCount) { out, initialized in
            pixels.withUnsafeBufferPointer { src in
                guard let s = src.baseAddress, let d = out.baseAddress else { return }
                for y in 0..<height {
                    d[y * (rowBytes + 1)] = 0
                    (d + y * (rowBytes + 1) + 1).update(from: s + y * rowBytes, count: rowBytes)
                }
            }
            initialized = rawCount
        }

        // zlib: CMF/FLG (deflate, 32 KiB window, no dictionary, check bits), stored blocks,
        // Adler-32 big-endian.
        let blockCount = max(1, (rawCount + 65534) / 65535)
        var zlib: [UInt8] = []
        zlib.reserveCapacity(2 + rawCount + blockCount * 5 + 4)
        zlib += [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65535, rawCount - offset)
            let final: UInt8 = offset + length == rawCount ? 1 : 0
            zlib += [final, UInt8(length & 0xFF), UInt8(length >> 8),
                     UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            zlib += raw[offset..<(offset + length)]
            offset += length
        } while offset < rawCount
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
        out += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF),
                UInt8(value & 0xFF)]
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
