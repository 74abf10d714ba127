import Foundation
import PicseekCore
import Testing

@testable import Imaging

#if canImport(Glibc)
    import Glibc
#endif

/// A directory of broken and hostile files, made here, processed one by one:
/// each must give exactly one typed error naming its path, and nothing may crash
/// or hang.
@Suite("Broken and hostile files")
struct HostileFilesTests {
    typealias T = TestSupport

    enum Kind {
        case unreadable, empty, notAnImage, unsupported, tooLarge, corrupt, truncated,
            corruptOrTruncated
    }

    static func kind(of error: ImageError) -> Kind {
        switch error {
        case .unreadable: return .unreadable
        case .empty: return .empty
        case .notAnImage: return .notAnImage
        case .unsupportedFormat: return .unsupported
        case .tooLarge: return .tooLarge
        case .corrupt: return .corrupt
        case .truncated: return .truncated
        case .outOfMemory: return .corrupt
        }
    }

    static func baseJPEG() throws -> [UInt8] {
        try JPEG.encode(T.gradient(width: 64, height: 48), quality: 90)
    }

    /// Returns a copy of `jpeg` with bytes of the segment starting at marker `code` patched.
    static func patch(_ jpeg: [UInt8], marker code: UInt8, at offsets: [Int: UInt8]) throws
        -> [UInt8]
    {
        let start = try #require(T.markerOffset(jpeg, code))
        var out = jpeg
        for (o, v) in offsets { out[start + o] = v }
        return out
    }

    /// name -> (bytes, expected error kind)
    static func hostileFiles() throws -> [(String, [UInt8], Kind)] {
        let jpeg = try baseJPEG()
        let png = T.png(T.noise(width: 16, height: 16, seed: 9))
        let sos = try #require(T.markerOffset(jpeg, 0xDA))
        let sosLength = Int(jpeg[sos + 2]) << 8 | Int(jpeg[sos + 3])
        let sof = try #require(T.markerOffset(jpeg, 0xC0))
        let sofLength = Int(jpeg[sof + 2]) << 8 | Int(jpeg[sof + 3])
        let idatEnd = png.count - 12
        var files: [(String, [UInt8], Kind)] = [
            ("zero-bytes.jpg", [], .empty),
            ("text.jpg", Array("hello, this is not a photo\n".utf8), .notAnImage),
            ("random.png", T.noise(width: 20, height: 20, seed: 4).pixels, .notAnImage),
            ("soi-only.jpg", [0xFF, 0xD8, 0xFF], .corruptOrTruncated),
            ("soi-eoi.jpg", [0xFF, 0xD8, 0xFF, 0xD9], .corruptOrTruncated),
            ("half.jpg", Array(jpeg.prefix(jpeg.count / 2)), .truncated),
            ("header-only.jpg", Array(jpeg.prefix(sos + 2 + sosLength)), .truncated),
            ("before-scan.jpg", Array(jpeg.prefix(sos)), .corruptOrTruncated),
            (
                "bogus-huffman.jpg",
                try patch(
                    jpeg, marker: 0xC4,
                    at: Dictionary(uniqueKeysWithValues: (5..<21).map { ($0, 0xFF) })), .corrupt
            ),
            (
                "huge-dimensions.jpg",
                try patch(jpeg, marker: 0xC0, at: [5: 0xFF, 6: 0xDC, 7: 0xFF, 8: 0xDC]), .tooLarge
            ),
            ("zero-width.jpg", try patch(jpeg, marker: 0xC0, at: [7: 0, 8: 0]), .corrupt),
            ("precision-12.jpg", try patch(jpeg, marker: 0xC0, at: [4: 12]), .corrupt),
            ("zero-components.jpg", try patch(jpeg, marker: 0xC0, at: [9: 0]), .corrupt),
            ("no-frame.jpg", Array(jpeg[..<sof]) + Array(jpeg[(sof + 2 + sofLength)...]), .corrupt),
            ("png-signature-only.png", T.pngSignature, .truncated),
            (
                "png-garbage.png", T.pngSignature + T.noise(width: 10, height: 10, seed: 5).pixels,
                .corrupt
            ),
            (
                "png-ihdr-crc.png",
                {
                    var d = png; d[8 + 8 + 13] ^= 0x55; return d
                }(), .corrupt
            ),
            (
                "png-idat-crc.png",
                {
                    var d = png; d[idatEnd - 1] ^= 0x55; return d
                }(), .corrupt
            ),
            ("png-half.png", Array(png.prefix(png.count / 2)), .truncated),
            (
                "png-huge.png",
                T.pngSignature + T.ihdr(width: 65500, height: 65500, depth: 8, colorType: 2)
                    + T.chunk("IEND", []), .tooLarge
            ),
            (
                "png-zero-width.png",
                T.pngSignature + T.ihdr(width: 0, height: 5, depth: 8, colorType: 2)
                    + T.chunk("IEND", []), .corrupt
            ),
            (
                "png-bad-depth.png",
                T.pngSignature + T.ihdr(width: 5, height: 5, depth: 4, colorType: 2)
                    + T.chunk("IEND", []), .corrupt
            ),
            (
                "png-no-idat.png",
                T.pngSignature + T.ihdr(width: 5, height: 5, depth: 8, colorType: 2)
                    + T.chunk("IEND", []), .corrupt
            ),
            (
                "png-bad-zlib.png",
                T.pngSignature + T.ihdr(width: 4, height: 4, depth: 8, colorType: 2)
                    + T.chunk("IDAT", [0x12, 0x34, 0x56, 0x78, 0x9A]) + T.chunk("IEND", []),
                .corrupt
            ),
            (
                "png-short-data.png",
                T.pngSignature + T.ihdr(width: 8, height: 8, depth: 8, colorType: 2)
                    + T.chunk("IDAT", T.zlibStored([0] + [UInt8](repeating: 1, count: 24)))
                    + T.chunk("IEND", []), .corrupt
            ),
            (
                "png-no-plte.png",
                T.png(width: 2, height: 1, depth: 8, colorType: 3, rows: [[0, 0]]), .corrupt
            ),
            (
                "png-giant-chunk.png",
                T.pngSignature + T.ihdr(width: 4, height: 4, depth: 8, colorType: 2) + [
                    0x7F, 0xFF, 0xFF, 0xFF,
                ] + Array("IDAT".utf8) + [1, 2, 3], .corruptOrTruncated
            ),
            ("anim.gif", Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0], .truncated),
            (
                "photo.webp", Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBPVP8 ".utf8),
                .corruptOrTruncated
            ),
            ("photo.heic", [0, 0, 0, 24] + Array("ftypheic".utf8) + [0, 0, 0, 0], .corrupt),
            ("bitmap.bmp", Array("BM".utf8) + [UInt8](repeating: 0, count: 60), .unsupported),
            ("scan.tif", [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0, 0, 0], .corruptOrTruncated),
        ]
        // A JPEG whose scan data is followed by garbage instead of EOI still decodes
        // (libjpeg pads); it is not in this list. A JPEG cut in the middle is.
        files.append(
            ("cut-at-three-quarters.jpg", Array(jpeg.prefix(jpeg.count * 3 / 4)), .truncated))
        files += try webpFiles()
        files += try gifFiles()
        files += try tiffFiles()
        files += try heifFiles()
        return files
    }

    /// A little-endian single-strip TIFF whose strip bytes `strip` follow the
    /// directory (or sit at `stripOffset` when given).
    static func tiffImage(
        width: UInt32, height: UInt32, bits: UInt16 = 8, samples: UInt16 = 3,
        photometric: UInt16 = 2, compression: UInt16 = 1, strip: [UInt8], stripOffset: UInt32? = nil
    ) -> [UInt8] {
        func le32(_ v: UInt32) -> [UInt8] { T.be32(v).reversed() }
        func long(_ tag: UInt16, _ v: UInt32) -> T.TIFFEntry {
            T.TIFFEntry(tag: tag, type: 4, count: 1, value: le32(v))
        }
        func build(_ offset: UInt32) -> [UInt8] {
            let bps = (0..<Int(samples)).flatMap { _ in [UInt8(bits & 0xFF), UInt8(bits >> 8)] }
            return T.tiff([
                long(256, width), long(257, height),
                T.TIFFEntry(tag: 258, type: 3, count: UInt32(samples), value: bps),
                T.short(259, compression), T.short(262, photometric), long(273, offset),
                T.short(277, samples), long(278, height), long(279, UInt32(strip.count)),
            ])
        }
        let head = build(0)
        return build(stripOffset ?? UInt32(head.count)) + strip
    }

    /// An 8x8 16-bit grey TIFF stored in one 65536x65536 tile.
    static func hugeTile() -> [UInt8] {
        func long(_ tag: UInt16, _ v: UInt32) -> T.TIFFEntry {
            T.TIFFEntry(tag: tag, type: 4, count: 1, value: T.be32(v).reversed())
        }
        return T.tiff([
            long(256, 8), long(257, 8), T.short(258, 16), T.short(259, 1), T.short(262, 1),
            T.short(277, 1), long(322, 65536), long(323, 65536), long(324, 8), long(325, 128),
        ]) + [UInt8](repeating: 7, count: 128)
    }

    /// Broken and hostile TIFF files.
    static func tiffFiles() throws -> [(String, [UInt8], Kind)] {
        let good = try T.fixture("formats/tiff-rgb8.tif")
        let pixels = T.noise(width: 8, height: 8, seed: 13).pixels
        return [
            ("tiff-header-only.tif", [0x49, 0x49, 0x2A, 0, 8, 0, 0, 0], .truncated),
            ("tiff-half.tif", Array(good.prefix(good.count / 2)), .corruptOrTruncated),
            ("tiff-huge.tif", tiffImage(width: 100_000, height: 100_000, strip: pixels), .tooLarge),
            ("tiff-zero-width.tif", tiffImage(width: 0, height: 8, strip: pixels), .corrupt),
            (
                "tiff-bad-compression.tif",
                tiffImage(width: 8, height: 8, compression: 9999, strip: pixels), .corrupt
            ),
            ("tiff-bad-bits.tif", tiffImage(width: 8, height: 8, bits: 3, strip: pixels), .corrupt),
            (
                "tiff-strip-past-end.tif",
                tiffImage(width: 8, height: 8, strip: pixels, stripOffset: 1_000_000),
                .corruptOrTruncated
            ),
            (
                "tiff-lzw-garbage.tif",
                tiffImage(width: 8, height: 8, compression: 5, strip: pixels), .corruptOrTruncated
            ),
            (
                "tiff-bad-ifd-offset.tif", [0x49, 0x49, 0x2A, 0, 0xFF, 0xFF, 0xFF, 0x7F] + pixels,
                .corruptOrTruncated
            ),
            ("tiff-big-endian-garbage.tif", [0x4D, 0x4D, 0, 0x2A] + pixels, .corruptOrTruncated),
            ("tiff-huge-tile.tif", hugeTile(), .corrupt),
        ]
    }

    /// A GIF89a with a two-colour global table and one frame whose LZW data is
    /// `lzw` (one sub-block) after the minimum code size `minCode`.
    static func gif(
        screen: (Int, Int), frame: (Int, Int, Int, Int), minCode: UInt8 = 2,
        lzw: [UInt8] = [0x44, 0x01]
    ) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] {
            [UInt8(truncatingIfNeeded: v), UInt8(truncatingIfNeeded: v >> 8)]
        }
        return Array("GIF89a".utf8) + le16(screen.0) + le16(screen.1) + [0x80, 0, 0]
            + [0, 0, 0, 255, 255, 255] + [0x2C] + le16(frame.0) + le16(frame.1) + le16(frame.2)
            + le16(frame.3) + [0, minCode, UInt8(lzw.count)] + lzw + [0, 0x3B]
    }

    /// Broken and hostile GIF files.
    static func gifFiles() throws -> [(String, [UInt8], Kind)] {
        let good = try T.fixture("formats/gif-palette.gif")
        let screenOnly = Array("GIF89a".utf8) + [4, 0, 4, 0, 0x80, 0, 0, 0, 0, 0, 255, 255, 255]
        return [
            ("gif-signature-only.gif", Array("GIF89a".utf8), .truncated),
            ("gif87-cut.gif", Array("GIF87a".utf8) + [1, 0, 1], .truncated),
            ("gif-half.gif", Array(good.prefix(good.count / 2)), .truncated),
            ("gif-huge-screen.gif", gif(screen: (65535, 65535), frame: (0, 0, 1, 1)), .tooLarge),
            ("gif-huge-frame.gif", gif(screen: (10, 10), frame: (0, 0, 60000, 60000)), .tooLarge),
            ("gif-far-frame.gif", gif(screen: (10, 10), frame: (65000, 65000, 1, 1)), .tooLarge),
            ("gif-zero-frame.gif", gif(screen: (10, 10), frame: (0, 0, 0, 4)), .corrupt),
            (
                "gif-bad-code-size.gif", gif(screen: (1, 1), frame: (0, 0, 1, 1), minCode: 12),
                .corrupt
            ),
            (
                "gif-garbage-lzw.gif",
                gif(
                    screen: (40, 40), frame: (0, 0, 40, 40), minCode: 8,
                    lzw: Array(T.noise(width: 10, height: 8, seed: 12).pixels.prefix(200))),
                .corruptOrTruncated
            ),
            ("gif-no-image.gif", screenOnly + [0x3B], .corrupt),
            ("gif-unknown-record.gif", screenOnly + [0x99, 0x3B], .corrupt),
        ]
    }

    /// A RIFF/WEBP file of the given chunks (fourcc, payload), sizes filled in.
    static func webp(_ chunks: [(String, [UInt8])]) -> [UInt8] {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        var body = Array("WEBP".utf8)
        for (fourcc, payload) in chunks {
            body += Array(fourcc.utf8) + le32(payload.count) + payload
            if payload.count % 2 == 1 { body.append(0) }
        }
        return Array("RIFF".utf8) + le32(body.count) + body
    }

    /// A VP8X chunk payload: flags and a canvas of `width` x `height`.
    static func vp8x(flags: UInt8, width: Int, height: Int) -> [UInt8] {
        func le24(_ v: Int) -> [UInt8] { (0..<3).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        return [flags, 0, 0, 0] + le24(width - 1) + le24(height - 1)
    }

    /// Broken and hostile WebP files, made from the committed fixtures.
    static func webpFiles() throws -> [(String, [UInt8], Kind)] {
        let lossy = try T.fixture("formats/webp-lossy.webp")
        let lossless = try T.fixture("formats/webp-lossless.webp")
        let animated = try T.fixture("formats/webp-animated.webp")
        let anim: [UInt8] = [0, 0, 0, 0, 0, 0] // ANIM: background colour, loop count
        return [
            ("webp-riff-only.webp", Array(lossy.prefix(12)), .truncated),
            ("webp-half.webp", Array(lossy.prefix(lossy.count / 2)), .truncated),
            ("webp-anim-half.webp", Array(animated.prefix(animated.count / 2)), .truncated),
            (
                "webp-huge-lossless.webp",
                {
                    var d = lossless; d.replaceSubrange(21..<25, with: [0xFF, 0xFF, 0xFF, 0x0F]);
                    return d
                }(), .tooLarge
            ),
            (
                "webp-huge-canvas.webp",
                webp([("VP8X", vp8x(flags: 0x02, width: 60000, height: 60000)), ("ANIM", anim)]),
                .tooLarge
            ),
            (
                "webp-bad-keyframe.webp",
                {
                    var d = lossy; d[23] = 0; d[24] = 0; d[25] = 0; return d
                }(), .corrupt
            ),
            (
                "webp-zero-width.webp",
                {
                    var d = lossy; d[26] = 0; d[27] = 0; return d
                }(), .corrupt
            ),
            ("webp-empty-vp8.webp", webp([("VP8 ", [])]), .corruptOrTruncated),
            (
                "webp-vp8l-garbage.webp",
                Array(lossless.prefix(25)) + T.noise(width: 40, height: 40, seed: 11).pixels,
                .corruptOrTruncated
            ),
            (
                "webp-anim-no-frames.webp",
                webp([("VP8X", vp8x(flags: 0x02, width: 16, height: 16)), ("ANIM", anim)]), .corrupt
            ),
            ("webp-unknown-chunk.webp", webp([("XXXX", [1, 2, 3, 4])]), .corrupt),
            (
                "webp-riff-size-lie.webp",
                {
                    var d = lossy; d.replaceSubrange(4..<8, with: [0xF0, 0xFF, 0xFF, 0x7F]);
                    return d
                }(), .truncated
            ),
        ]
    }

    @Test("30+ broken files each give one typed error naming the file, and the run goes on")
    func brokenDirectory() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "picseek-hostile-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        var expected: [(String, Kind)] = []
        for (name, bytes, kind) in try Self.hostileFiles() {
            try Data(bytes).write(to: dir.appendingPathComponent(name))
            expected.append((name, kind))
        }
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("folder.jpg"), withIntermediateDirectories: false)
        expected.append(("folder.jpg", .unreadable))
        #expect(mkfifo(dir.appendingPathComponent("pipe.jpg").path, 0o644) == 0)
        expected.append(("pipe.jpg", .unreadable))
        try FileManager.default.createSymbolicLink(
            atPath: dir.appendingPathComponent("dangling.jpg").path,
            withDestinationPath: "/nonexistent/photo.jpg")
        expected.append(("dangling.jpg", .unreadable))
        if geteuid() != 0 {
            let locked = dir.appendingPathComponent("locked.jpg")
            try Data(try Self.baseJPEG()).write(to: locked)
            chmod(locked.path, 0)
            expected.append(("locked.jpg", .unreadable))
        }
        #expect(expected.count >= 30)

        let pipeline = ImagePipeline(maxPixels: 100_000_000)
        let spec = PreprocessSpec(
            size: 224, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd
        )
        var processed = 0
        for (name, kind) in expected {
            let path = dir.appendingPathComponent(name).path
            do {
                _ = try pipeline.process(fileAt: path, spec: spec)
                Issue.record("\(name) was accepted")
            } catch {
                let got = Self.kind(of: error)
                let ok =
                    got == kind
                    || (kind == .corruptOrTruncated && (got == .corrupt || got == .truncated))
                #expect(ok, "\(name): expected \(kind), got \(error)")
                #expect(error.path == path)
                #expect(error.description.contains(name))
                #expect(!error.reason.isEmpty)
            }
            processed += 1
        }
        #expect(processed == expected.count)
    }

    @Test("hostile EXIF inside a good JPEG is ignored, the image still decodes")
    func hostileEXIF() throws {
        let loop = T.tiff([
            TestSupport.TIFFEntry(tag: 0x8769, type: 4, count: 1, value: [8, 0, 0, 0])
        ])
        var huge = T.tiff([
            TestSupport.TIFFEntry(
                tag: 0x010F, type: 2, count: 100, value: [UInt8](repeating: 65, count: 100))
        ])
        huge.replaceSubrange(14..<18, with: [0xFF, 0xFF, 0xFF, 0xFF]) // count
        for tiff in [loop, huge, [0x49, 0x49, 0x2A, 0, 0xFF, 0xFF, 0xFF, 0xFF]] {
            let data = T.withEXIF(try Self.baseJPEG(), tiff: tiff)
            let (thumb, meta) = try ImagePipeline().thumbnail(data: data)
            #expect(thumb.width == 64 && thumb.height == 48)
            #expect(meta.orientation == 1 && meta.camera == nil)
        }
    }
}
