import Foundation
import PicseekCore
import Testing

@testable import Imaging

/// Broken and hostile HEIC and AVIF files, made from the committed fixtures by
/// patching boxes in place; `HostileFilesTests.brokenDirectory` runs them.
extension HostileFilesTests {
    /// `data` with the 4-byte type `box` found at every place, and `bytes` written
    /// `offset` bytes after the end of each type field.
    static func patchBoxes(_ data: [UInt8], _ box: String, at offset: Int, with bytes: [UInt8])
        -> [UInt8]
    {
        let tag = Array(box.utf8)
        var out = data
        var i = 0
        while i + 4 <= out.count {
            if Array(out[i..<i + 4]) == tag, i + 4 + offset + bytes.count <= out.count {
                out.replaceSubrange(i + 4 + offset..<i + 4 + offset + bytes.count, with: bytes)
                i += 4
            } else {
                i += 1
            }
        }
        return out
    }

    /// The offset of the first `box` type field in `data`.
    static func boxOffset(_ data: [UInt8], _ box: String) throws -> Int {
        let tag = Array(box.utf8)
        return try #require(
            (0...(data.count - 4)).first { Array(data[$0..<$0 + 4]) == tag }, "no \(box) box")
    }

    static func be32(_ v: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) }
    }

    /// The same ten breakages of one good file, named `<ext>-<what>.<ext>`.
    static func heifBreakages(_ good: [UInt8], ext: String, config: String) throws
        -> [(String, [UInt8], Kind)]
    {
        let ftypSize = Int(good[0]) << 24 | Int(good[1]) << 16 | Int(good[2]) << 8 | Int(good[3])
        let iloc = try boxOffset(good, "iloc")
        var wrongMagic = good
        wrongMagic.replaceSubrange(4..<8, with: Array("ftyx".utf8))
        var noConfig = good
        let configAt = try boxOffset(good, config)
        noConfig.replaceSubrange(configAt..<configAt + 4, with: Array("xxxx".utf8))
        var badIloc = good
        badIloc.replaceSubrange(iloc + 12..<iloc + 20, with: [UInt8](repeating: 0xFF, count: 8))
        return [
            ("\(ext)-zero-bytes.\(ext)", [], .empty),
            ("\(ext)-wrong-magic.\(ext)", wrongMagic, .notAnImage),
            ("\(ext)-ftyp-only.\(ext)", Array(good.prefix(ftypSize)), .corrupt),
            ("\(ext)-half.\(ext)", Array(good.prefix(good.count / 2)), .truncated),
            ("\(ext)-cut-mdat.\(ext)", Array(good.prefix(good.count - 200)), .truncated),
            (
                "\(ext)-huge-dimensions.\(ext)",
                patchBoxes(good, "ispe", at: 4, with: be32(40000) + be32(40000)), .tooLarge
            ),
            (
                "\(ext)-absurd-dimensions.\(ext)",
                patchBoxes(good, "ispe", at: 4, with: [UInt8](repeating: 0xFF, count: 8)),
                .corrupt
            ),
            (
                "\(ext)-zero-dimensions.\(ext)",
                patchBoxes(good, "ispe", at: 4, with: [UInt8](repeating: 0, count: 8)), .corrupt
            ),
            (
                "\(ext)-no-primary.\(ext)", patchBoxes(good, "pitm", at: 4, with: [0x77, 0x77]),
                .corrupt
            ),
            ("\(ext)-no-codec-config.\(ext)", noConfig, .corrupt),
            ("\(ext)-bad-item-location.\(ext)", badIloc, .corrupt),
        ]
    }

    /// Broken and hostile HEIC and AVIF files.
    static func heifFiles() throws -> [(String, [UInt8], Kind)] {
        let heic = try T.fixture("heif/heic-plain.heic")
        let avif = try T.fixture("heif/avif-plain.avif")
        let grid = try T.fixture("heif/heic-grid.heic")
        var files = try heifBreakages(heic, ext: "heic", config: "hvcC")
        files += try heifBreakages(avif, ext: "avif", config: "av1C")
        // Grids: tile references to items that do not exist; every ispe (grid and tiles)
        // claiming 30000x30000 (a bomb: 900 megapixels from 17 kB); an output size at
        // libheif's own limit; small grid over huge tiles; tile data with every seventh
        // byte flipped.
        var noisy = avif
        let mdat = try boxOffset(avif, "mdat")
        var state: UInt64 = 3
        for i in (mdat + 14)..<noisy.count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            noisy[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        var hugeOutput = grid
        let idat = try boxOffset(grid, "idat")
        hugeOutput.replaceSubrange(idat + 8..<idat + 12, with: [0xFF, 0xFF, 0xFF, 0xFF])
        // Only the tiles' ispe (64x64) claims 16000x16000: the grid's own size stays small.
        var hugeTiles = grid
        var at = 0
        while let i = (at..<(grid.count - 16)).first(where: {
            Array(grid[$0..<$0 + 4]) == Array("ispe".utf8)
        }) {
            if Array(grid[i + 8..<i + 12]) == be32(64) {
                hugeTiles.replaceSubrange(i + 8..<i + 16, with: be32(16000) + be32(16000))
            }
            at = i + 4
        }
        var corruptTiles = grid
        let gridData = try boxOffset(grid, "mdat")
        for i in stride(from: gridData + 204, to: grid.count - 50, by: 7) {
            corruptTiles[i] ^= 0x5A
        }
        files += [
            (
                "heic-grid-missing-tiles.heic",
                patchBoxes(grid, "dimg", at: 4, with: [UInt8](repeating: 0x77, count: 14)),
                .corrupt
            ),
            (
                "heic-grid-bomb.heic",
                patchBoxes(grid, "ispe", at: 4, with: be32(30000) + be32(30000)),
                .tooLarge
            ),
            ("heic-grid-huge-output.heic", hugeOutput, .corrupt),
            ("heic-grid-huge-tiles.heic", hugeTiles, .corrupt),
            ("heic-grid-corrupt-tiles.heic", corruptTiles, .corrupt),
            ("avif-noise-in-data.avif", noisy, .corrupt),
        ]
        files += try avifGridFiles()
        // Clean apertures on a picture that picseek crops and turns itself (odd sides and an
        // irot, cheif_transform.h): fractions over zero, and a crop of no pixels.
        let turned = try T.fixture("heif/heic-odd-size-exif-6.heic")
        let clap = { (fields: [UInt32]) in
            patchBoxes(turned, "clap", at: 0, with: fields.flatMap(be32))
        }
        files += [
            ("heic-clap-zero-denominators.heic", clap([71, 0, 47, 0, 0, 0, 0, 0]), .corrupt),
            ("heic-clap-no-pixels.heic", clap([0, 1, 0, 1, 0, 1, 0, 1]), .corrupt),
        ]
        return files
    }

    /// Broken AVIF grids, and a picture whose av1C claims another layout: the AV1 plugin's
    /// ways (tiles decoded one by one, stored planes checked against the av1C).
    static func avifGridFiles() throws -> [(String, [UInt8], Kind)] {
        let grid = try T.fixture("heif/avif-grid.avif")
        // Only the tiles' ispe (64x64) claims 16000x16000: the grid's own size stays small.
        var hugeTiles = grid
        var at = 0
        while let i = (at..<(grid.count - 16)).first(where: {
            Array(grid[$0..<$0 + 4]) == Array("ispe".utf8)
        }) {
            if Array(grid[i + 8..<i + 12]) == be32(64) {
                hugeTiles.replaceSubrange(i + 8..<i + 16, with: be32(16000) + be32(16000))
            }
            at = i + 4
        }
        var corruptTiles = grid
        let mdat = try boxOffset(grid, "mdat")
        for i in stride(from: mdat + 204, to: grid.count - 50, by: 7) { corruptTiles[i] ^= 0x5A }
        var claimsMonochrome = try T.fixture("heif/avif-plain.avif")
        claimsMonochrome[try boxOffset(claimsMonochrome, "av1C") + 6] |= 0x10
        return [
            (
                // The six tile references (2 bytes each) point at items that do not exist.
                "avif-grid-missing-tiles.avif",
                patchBoxes(grid, "dimg", at: 4, with: [UInt8](repeating: 0x77, count: 12)),
                .corrupt
            ),
            (
                "avif-grid-bomb.avif",
                patchBoxes(grid, "ispe", at: 4, with: be32(30000) + be32(30000)), .tooLarge
            ),
            ("avif-grid-huge-tiles.avif", hugeTiles, .corrupt),
            (
                // The grid data (idat: version, flags, rows, columns, then 16-bit sides)
                // declares a 20000x20000 canvas; every ispe stays small.
                "avif-grid-huge-canvas.avif",
                patchBoxes(grid, "idat", at: 4, with: [0x4E, 0x20, 0x4E, 0x20]), .corrupt
            ),
            ("avif-grid-corrupt-tiles.avif", corruptTiles, .corrupt),
            ("avif-claims-monochrome.avif", claimsMonochrome, .corrupt),
        ]
    }

    @Test("every hostile HEIC and AVIF names the file and says what is wrong in lower case")
    func heifMessages() throws {
        let files = try Self.heifFiles()
        #expect(files.filter { $0.0.hasSuffix(".heic") }.count >= 8)
        #expect(files.filter { $0.0.hasSuffix(".avif") }.count >= 8)
        let pipeline = ImagePipeline()
        for (name, bytes, _) in files where !bytes.isEmpty {
            do {
                _ = try pipeline.thumbnail(data: bytes)
                Issue.record("\(name) was accepted")
            } catch {
                let text = error.at(path: "/photos/" + name).description
                #expect(text.contains(name), "\(text)")
                #expect(
                    !text.contains("Invalid input") && !text.contains("Unexpected end"), "\(text)")
            }
        }
    }

    @Test("a broken AVIF's error names AVIF, not HEIF (libheif reads both)")
    func avifNamed() throws {
        let avif = try T.fixture("heif/avif-plain.avif")
        do {
            _ = try ImagePipeline().thumbnail(data: Array(avif.prefix(avif.count * 2 / 3)))
            Issue.record("a truncated AVIF was accepted")
        } catch {
            #expect(
                error.reason.hasPrefix("truncated avif") || error.reason.hasPrefix("corrupt avif"),
                "\(error.reason)")
        }
        let heic = try T.fixture("heif/heic-plain.heic")
        do {
            _ = try ImagePipeline().thumbnail(data: Array(heic.prefix(heic.count * 2 / 3)))
            Issue.record("a truncated HEIC was accepted")
        } catch {
            #expect(error.reason.contains("heif"), "\(error.reason)")
        }
    }
}
