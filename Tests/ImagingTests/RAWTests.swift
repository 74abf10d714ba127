import Foundation
import PicseekCore
import Testing

@testable import Imaging

/// Camera RAW files read through their embedded preview: the committed RAW-like fixtures
/// against Pillow's decode of the preview with the orientation that applies, the hostile
/// fixtures against the error each must give, and the parser's limits; see
/// Fixtures/raw/README.md.
@Suite("Camera RAW through the embedded preview")
struct RAWTests {
    typealias Manifest = TestSupport.Manifest

    static func manifest() throws -> Manifest { try Manifest.load("raw") }

    static func files() throws -> [String] { try manifest().images.map(\.file) }
    static func hostileFiles() throws -> [String] { try (manifest().hostile ?? []).map(\.file) }

    @Test("each container is recognised by its bytes; a plain tiff stays a tiff")
    func recognition() throws {
        let expected: [(String, RAWContainer)] = [
            ("dng-subifd-strip-preview.dng", .tiff), ("nef-subifd-jpeg-preview.nef", .tiff),
            ("arw-ifd0-preview.arw", .tiff), ("cr2-strip-preview.cr2", .cr2),
            ("orf-iiro-makernote-preview.orf", .orf), ("rw2-iiu-jpgfromraw.rw2", .rw2),
            ("raf-header-preview.raf", .raf), ("cr3-prvw-box.cr3", .cr3),
        ]
        #expect(Set(expected.map(\.0)) == Set(try Self.files()))
        for (file, container) in expected {
            let data = try TestSupport.fixture("raw/" + file)
            #expect(RAW.container(data) == container, "\(file)")
            #expect(ImageFormat.sniff(data) == .raw, "\(file)")
        }
        #expect(ImageFormat.raw.isSupported)
        for plain in ["tiff-rgb8.tif", "tiff-orientation-6.tif", "tiff-two-pages.tif"] {
            let data = try TestSupport.fixture("formats/" + plain)
            #expect(RAW.container(data) == nil, "\(plain)")
            #expect(ImageFormat.sniff(data) == .tiff, "\(plain)")
        }
    }

    @Test("exact decode of the preview is within 1/255 of Pillow, upright", arguments: try files())
    func exactParity(file: String) throws {
        let entry = try #require(try Self.manifest().images.first { $0.file == file })
        let data = try TestSupport.fixture("raw/" + file)
        let ours = try ImagePipeline(exact: true).decode(data, spec: nil).image
        let ref = try PNG.decode(try TestSupport.fixture("raw/" + entry.reference)).image
        #expect(ours.width == ref.width && ours.height == ref.height, "\(file)")
        try #require(ours.pixels.count == ref.pixels.count)
        var maxDiff = 0
        for (a, b) in zip(ours.pixels, ref.pixels) { maxDiff = max(maxDiff, abs(Int(a) - Int(b))) }
        #expect(maxDiff <= 1, "\(file): max deviation \(maxDiff)/255")
        print("exact raw preview deviation \(file): max \(maxDiff)/255")
    }

    @Test(
        "metadata: the sensor's upright size, the raw's orientation, camera and date",
        arguments: try files())
    func metadata(file: String) throws {
        let entry = try #require(try Self.manifest().images.first { $0.file == file })
        let (thumb, meta) = try ImagePipeline().thumbnail(
            data: try TestSupport.fixture("raw/" + file))
        #expect(meta.width == entry.width && meta.height == entry.height, "\(file)")
        #expect(meta.orientation == entry.orientation, "\(file)")
        #expect(meta.camera == entry.camera, "\(file)")
        #expect(meta.takenAt == entry.takenAt, "\(file)")
        #expect(thumb.width > 0 && (thumb.width >= thumb.height) == (entry.width >= entry.height))
    }

    @Test("the largest preview is chosen and a lossless raw strip is never taken for one")
    func largest() throws {
        let nef = try RAW.preview(try TestSupport.fixture("raw/nef-subifd-jpeg-preview.nef"))
        #expect(nef.width == 112 && nef.height == 72)
        #expect(nef.sensorWidth == 128 && nef.sensorHeight == 86)
        let cr2 = try RAW.preview(try TestSupport.fixture("raw/cr2-strip-preview.cr2"))
        #expect(cr2.width == 96 && cr2.height == 64 && cr2.container == .cr2)
        #expect(cr2.sensorWidth == nil)
        // ORF: the maker note's preview, not IFD1's 32x24 thumbnail.
        let orf = try RAW.preview(try TestSupport.fixture("raw/orf-iiro-makernote-preview.orf"))
        #expect(orf.width == 80 && orf.height == 60)
        #expect(orf.sensorWidth == 88 && orf.sensorHeight == 66)
        // CR3: the JPEG track's image, larger than the PRVW box's 96x64, and the full
        // image's size from CMT2.
        let cr3 = try RAW.preview(try TestSupport.fixture("raw/cr3-prvw-box.cr3"))
        #expect(cr3.width == 192 && cr3.height == 128)
        #expect(cr3.sensorWidth == 1500 && cr3.sensorHeight == 1000)
    }

    @Test("a preview's own exif orientation never turns the photo a second time")
    func noDoubleRotation() throws {
        // The NEF's preview says 3 in its own EXIF; the RAW's IFD0 says 8, which applies.
        let data = try TestSupport.fixture("raw/nef-subifd-jpeg-preview.nef")
        let found = try RAW.preview(data)
        let own = try JPEG.header(Array(data[found.range])).exif.map(EXIFData.parse)
        #expect(own?.orientation == 3)
        #expect(found.exif?.orientation == 8)
        let decoded = try ImagePipeline(exact: true).decode(data, spec: nil)
        #expect(decoded.metadata.orientation == 8)
        #expect(decoded.image.width == 72 && decoded.image.height == 112)
        // RAF has no orientation of its own: the preview's (6) is the one that applies.
        let raf = try ImagePipeline(exact: true).decode(
            try TestSupport.fixture("raw/raf-header-preview.raf"), spec: nil)
        #expect(raf.metadata.orientation == 6 && raf.image.width == 64)
    }

    @Test("fast mode decodes the preview at a reduced scale within the draft rule")
    func fastMode() throws {
        let data = try TestSupport.fixture("raw/nef-subifd-jpeg-preview.nef")
        let spec = PreprocessSpec(
            size: 16, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
        let pipeline = ImagePipeline(thumbnailSide: 16)
        let decoded = try pipeline.decode(data, spec: spec)
        #expect(decoded.scale == 2)
        #expect(decoded.image.width == 36 && decoded.image.height == 56)
        let photo = try pipeline.process(data: data, spec: spec)
        #expect(photo.input.count == 3 * 16 * 16)
    }

    @Test("the text pass reads the whole preview of a raw, upright")
    func textImage() throws {
        let data = try TestSupport.fixture("raw/nef-subifd-jpeg-preview.nef")
        let (grey, scale) = try ImagePipeline().textImage(data: data)
        #expect(grey.width == 72 && grey.height == 112)
        #expect(scale == 1)
    }

    @Test("each hostile file gives one typed error naming its path", arguments: try hostileFiles())
    func hostile(file: String) throws {
        let entry = try #require((try Self.manifest().hostile ?? []).first { $0.file == file })
        let path = try TestSupport.fixtures.appendingPathComponent("raw/" + file).path
        let spec = PreprocessSpec(
            size: 32, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
        do {
            _ = try ImagePipeline().process(fileAt: path, spec: spec)
            Issue.record("\(file) decoded without an error")
        } catch {
            #expect(error.path == path)
            #expect(error.reason.contains(entry.phrase), "\(file): \(error.reason)")
            let kind: String
            switch error {
            case .empty: kind = "empty"
            case .corrupt: kind = "corrupt"
            case .truncated: kind = "truncated"
            default: kind = "other"
            }
            if entry.kind == "corruptOrTruncated" {
                #expect(kind == "corrupt" || kind == "truncated", "\(file): \(error)")
            } else {
                #expect(kind == entry.kind, "\(file): \(error)")
            }
        }
    }

    @Test("directory, nesting and box limits hold and are named in the error")
    func limits() throws {
        let bomb = try TestSupport.fixture("raw/hostile-subifd-bomb.dng")
        #expect(throws: RAWError.corrupt(message: "sub-directories nested deeper than 4 levels")) {
            try RAW.preview(bomb)
        }
        let wide = try TestSupport.fixture("raw/hostile-subifd-fan-out.dng")
        #expect(throws: RAWError.corrupt(message: "more than 64 image directories")) {
            try RAW.preview(wide)
        }
        var walker = IFDWalker(TIFFReader(bytes: wide, bigEndian: false))
        walker.walkChain()
        #expect(walker.ifds.count <= RAW.maxIFDs)
        let loop = try TestSupport.fixture("raw/hostile-ifd-loop.dng")
        #expect(
            throws: RAWError.corrupt(
                message: "directory loop: the directory at offset 8 comes back")
        ) { try RAW.preview(loop) }
        // A box nested past the depth cap: nine `moov` boxes inside each other are read
        // only as deep as `maxBoxDepth`.
        var reader = BoxReader(bytes: [UInt8](repeating: 0, count: 8))
        #expect(throws: RAWError.self) {
            try reader.boxes(in: 0..<8, depth: RAW.maxBoxDepth + 1)
        }
        // A box header with a size below its own header.
        let tiny: [UInt8] = [0, 0, 0, 4] + Array("moov".utf8)
        var small = BoxReader(bytes: tiny)
        #expect(throws: RAWError.corrupt(message: "box 'moov' at offset 0 has size 4")) {
            try small.boxes(in: 0..<8, depth: 0)
        }
    }

    @Test("a good preview is still found when another branch of the file is broken")
    func brokenBranch() throws {
        // The DNG fixture with its raw SubIFD's offset pointed past the end of the file.
        var data = try TestSupport.fixture("raw/dng-subifd-strip-preview.dng")
        let found = try RAW.preview(data)
        #expect(found.width == 96)
        var walker = IFDWalker(TIFFReader(bytes: data, bigEndian: false))
        walker.walkChain()
        let raw = try #require(walker.ifds.first { $0.isRawImage })
        // Entry 0 of the SubIFD list sits in IFD0; rewrite the raw directory's entry count.
        data[raw.offset] = 0xFF
        data[raw.offset + 1] = 0xFF
        let again = try RAW.preview(data)
        #expect(again.width == 96 && again.sensorWidth == nil)
        // A CR3 cut inside its mdat box: the JPEG track's image is gone, the PRVW box is whole.
        let cr3 = try TestSupport.fixture("raw/cr3-prvw-box.cr3")
        let cut = try RAW.preview(Array(cr3.prefix(cr3.count - 400)))
        #expect(cut.width == 96 && cut.height == 64)
    }
}
