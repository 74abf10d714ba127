import Foundation
import PicseekCore

@testable import Imaging

/// Helpers shared by the Imaging tests: fixtures, and small writers for
/// hand-made PNG and TIFF bytes.
enum TestSupport {
    /// The `Fixtures` folder copied into the test bundle.
    static var fixtures: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
                throw FixtureMissing()
            }
            return url
        }
    }

    struct FixtureMissing: Error {}

    static func fixture(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: try fixtures.appendingPathComponent(relative)))
    }

    /// A format fixture folder's `manifest.json` (written by the fixture scripts): each photo
    /// with its upright size, EXIF facts and reference PNG, and the hostile files, if any,
    /// with the kind and phrase of the error each must give.
    struct Manifest: Decodable {
        struct Entry: Decodable {
            var file: String
            var width: Int
            var height: Int
            var orientation: Int
            var camera: String?
            var takenAt: String?
            var reference: String
        }
        struct Hostile: Decodable {
            var file: String
            var kind: String
            var phrase: String
        }
        var images: [Entry]
        var hostile: [Hostile]?

        /// The manifest of `Fixtures/<folder>`.
        static func load(_ folder: String) throws -> Manifest {
            try JSONDecoder().decode(
                Manifest.self, from: Data(try fixture(folder + "/manifest.json")))
        }
    }

    /// A deterministic pseudo-random RGB image.
    static func noise(width: Int, height: Int, seed: UInt64) -> RGBImage {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in pixels.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            pixels[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// A smooth gradient image (compresses like a photo).
    static func gradient(width: Int, height: Int) -> RGBImage {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                pixels += [
                    UInt8(x * 255 / max(width - 1, 1)), UInt8(y * 255 / max(height - 1, 1)),
                    UInt8((x + y) * 127 / max(width + height - 2, 1)),
                ]
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    // MARK: PNG writing (stored deflate blocks, no compression library needed)

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(crc32(body))
    }

    /// zlib stream of `raw` using stored (uncompressed) blocks.
    static func zlibStored(_ raw: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, raw.count - offset)
            let final: UInt8 = offset + n == raw.count ? 1 : 0
            out += [
                final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF),
            ]
            out += raw[offset..<offset + n]
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return out + be32(b << 16 | a)
    }

    static func ihdr(
        width: UInt32, height: UInt32, depth: UInt8, colorType: UInt8, interlace: UInt8 = 0
    ) -> [UInt8] {
        chunk("IHDR", be32(width) + be32(height) + [depth, colorType, 0, 0, interlace])
    }

    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A non-interlaced PNG from already-packed rows (without filter bytes).
    static func png(
        width: Int, height: Int, depth: UInt8, colorType: UInt8, rows: [[UInt8]],
        before: [UInt8] = [], after: [UInt8] = []
    ) -> [UInt8] {
        var raw: [UInt8] = []
        for r in rows { raw += [0] + r }
        return pngSignature
            + ihdr(width: UInt32(width), height: UInt32(height), depth: depth, colorType: colorType)
            + before + chunk("IDAT", zlibStored(raw)) + after + chunk("IEND", [])
    }

    /// An 8-bit RGB PNG of `image`.
    static func png(_ image: RGBImage) -> [UInt8] {
        let stride = image.width * 3
        let rows = (0..<image.height).map { Array(image.pixels[$0 * stride..<($0 + 1) * stride]) }
        return png(width: image.width, height: image.height, depth: 8, colorType: 2, rows: rows)
    }

    // MARK: TIFF / EXIF writing

    /// One IFD entry: tag, type, count and the value bytes (inline if ≤ 4).
    struct TIFFEntry {
        var tag: UInt16
        var type: UInt16
        var count: UInt32
        var value: [UInt8]
    }

    /// A little- or big-endian TIFF stream with IFD0 at offset 8 and, when
    /// `exif` is given, an Exif IFD after it (tag 0x8769 added automatically).
    static func tiff(_ ifd0: [TIFFEntry], exif: [TIFFEntry]? = nil, bigEndian: Bool = false)
        -> [UInt8]
    {
        func u16(_ v: UInt16) -> [UInt8] {
            bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)]
        }
        func u32(_ v: UInt32) -> [UInt8] {
            let b = be32(v)
            return bigEndian ? b : b.reversed()
        }
        var entries0 = ifd0
        if exif != nil { entries0.append(TIFFEntry(tag: 0x8769, type: 4, count: 1, value: [])) }
        let ifd0Size = 2 + 12 * entries0.count + 4
        let exifOffset = 8 + ifd0Size
        let exifSize = exif.map { 2 + 12 * $0.count + 4 } ?? 0
        var dataOffset = exifOffset + exifSize
        var data: [UInt8] = []
        func encode(_ list: [TIFFEntry]) -> [UInt8] {
            var out = u16(UInt16(list.count))
            for e in list {
                out += u16(e.tag) + u16(e.type) + u32(e.count)
                if e.tag == 0x8769 && e.value.isEmpty {
                    out += u32(UInt32(exifOffset))
                } else if e.value.count <= 4 {
                    out += e.value + [UInt8](repeating: 0, count: 4 - e.value.count)
                } else {
                    out += u32(UInt32(dataOffset))
                    data += e.value
                    dataOffset += e.value.count
                }
            }
            return out + u32(0)
        }
        let header: [UInt8] = bigEndian ? [0x4D, 0x4D, 0, 0x2A] : [0x49, 0x49, 0x2A, 0]
        var out = header + u32(8) + encode(entries0)
        if let exif { out += encode(exif) }
        return out + data
    }

    static func short(_ tag: UInt16, _ v: UInt16, bigEndian: Bool = false) -> TIFFEntry {
        TIFFEntry(
            tag: tag, type: 3, count: 1,
            value: bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)])
    }

    static func ascii(_ tag: UInt16, _ s: String) -> TIFFEntry {
        let bytes = Array(s.utf8) + [0]
        return TIFFEntry(tag: tag, type: 2, count: UInt32(bytes.count), value: bytes)
    }

    /// A JPEG with an APP1 Exif segment holding `tiff`, inserted after SOI.
    static func withEXIF(_ jpeg: [UInt8], tiff: [UInt8]) -> [UInt8] {
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let app1: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return Array(jpeg[0..<2]) + app1 + Array(jpeg[2...])
    }

    /// Offset of the first marker `0xFF code` after SOI, scanning segment by segment.
    static func markerOffset(_ jpeg: [UInt8], _ code: UInt8) -> Int? {
        var i = 2
        while i + 4 <= jpeg.count, jpeg[i] == 0xFF {
            if jpeg[i + 1] == code { return i }
            let len = Int(jpeg[i + 2]) << 8 | Int(jpeg[i + 3])
            i += 2 + len
        }
        return nil
    }
}
