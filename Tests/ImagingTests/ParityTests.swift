import Foundation
import PicseekCore
import Testing

@testable import Imaging

/// Compares the pipeline with the Python reference (PIL + transformers /
/// torchvision) on the committed fixtures; see Fixtures/parity/README.md.
@Suite("Parity with the PIL reference")
struct ParityTests {
    struct Manifest: Decodable {
        struct Entry: Decodable {
            var file: String
            var width: Int
            var height: Int
            var orientation: Int
            var camera: String?
            var takenAt: String?
            var squash: String
            var crop: String
        }
        var size: Int
        var mean: [Float]
        var std: [Float]
        var images: [Entry]
    }

    static func manifest() throws -> Manifest {
        try JSONDecoder().decode(
            Manifest.self, from: Data(try TestSupport.fixture("parity/manifest.json")))
    }

    static func spec(_ m: Manifest, _ mode: PreprocessSpec.ResizeMode) -> PreprocessSpec {
        PreprocessSpec(size: m.size, mode: mode, mean: m.mean, std: m.std)
    }

    /// Un-normalises a planar tensor back to 0...255 values in HWC order.
    static func unnormalise(_ input: [Float], spec: PreprocessSpec) -> [Double] {
        let plane = spec.size * spec.size
        var out = [Double](repeating: 0, count: 3 * plane)
        for c in 0..<3 {
            for i in 0..<plane {
                let v = Double(input[c * plane + i]) * Double(spec.std[c]) + Double(spec.mean[c])
                out[i * 3 + c] = v * 255
            }
        }
        return out
    }

    /// Max and mean absolute difference, in 1/255 units, against a reference PNG.
    static func deviation(_ input: [Float], spec: PreprocessSpec, reference: String) throws -> (
        max: Double, mean: Double
    ) {
        let ref = try PNG.decode(try TestSupport.fixture("parity/" + reference)).image
        #expect(ref.width == spec.size && ref.height == spec.size)
        let ours = unnormalise(input, spec: spec)
        var maxDiff = 0.0, sum = 0.0
        for (a, b) in zip(ours, ref.pixels) {
            let d = abs(a - Double(b))
            maxDiff = max(maxDiff, d)
            sum += d
        }
        return (maxDiff, sum / Double(ours.count))
    }

    @Test("there are at least 12 fixtures covering every format the issue lists")
    func coverage() throws {
        let files = try Self.manifest().images.map(\.file)
        #expect(files.count >= 12)
        for needle in [
            "cmyk", "grey", "progressive", "alpha", "palette", "rgb16", "interlaced",
            "exif-orientation-6", "tiny", "large", "qtable16", "portrait",
        ] {
            #expect(files.contains { $0.contains(needle) }, "no fixture for \(needle)")
        }
    }

    @Test(
        "exact mode is within 1/255 of the reference in squash and crop modes",
        arguments: try manifest().images.map(\.file))
    func exactParity(file: String) throws {
        let m = try Self.manifest()
        let entry = try #require(m.images.first { $0.file == file })
        let data = try TestSupport.fixture("parity/" + file)
        let pipeline = ImagePipeline(exact: true)
        for (mode, ref) in [
            (PreprocessSpec.ResizeMode.squash, entry.squash), (.shortestSideCenterCrop, entry.crop),
        ] {
            let spec = Self.spec(m, mode)
            let photo = try pipeline.process(data: data, spec: spec)
            #expect(photo.input.count == 3 * m.size * m.size)
            let d = try Self.deviation(photo.input, spec: spec, reference: ref)
            #expect(d.max <= 1.0 + 1e-3, "\(file) \(mode): max deviation \(d.max)/255")
            print(
                "exact-mode deviation \(file) \(mode): max \(String(format: "%.4f", d.max))/255, "
                    + "mean \(String(format: "%.4f", d.mean))/255")
        }
    }

    @Test(
        "metadata gives the upright size, orientation, camera and date",
        arguments: try manifest().images.map(\.file))
    func metadata(file: String) throws {
        let m = try Self.manifest()
        let entry = try #require(m.images.first { $0.file == file })
        let (thumb, meta) = try ImagePipeline().thumbnail(
            data: try TestSupport.fixture("parity/" + file))
        #expect(meta.width == entry.width && meta.height == entry.height)
        #expect(meta.orientation == entry.orientation)
        #expect(meta.camera == entry.camera)
        #expect(meta.takenAt == entry.takenAt)
        // The thumbnail is upright too: its aspect follows the upright size.
        #expect((thumb.width >= thumb.height) == (entry.width >= entry.height))
        #expect(max(thumb.width, thumb.height) == min(256, max(entry.width, entry.height)))
    }

    @Test("fast (DCT-scaled) mode stays close to the full-decode reference")
    func fastDeviation() throws {
        let m = try Self.manifest()
        let pipeline = ImagePipeline()
        var scaledMeans: [String: Double] = [:]
        for entry in m.images {
            let data = try TestSupport.fixture("parity/" + entry.file)
            for (mode, ref) in [
                (PreprocessSpec.ResizeMode.squash, entry.squash),
                (.shortestSideCenterCrop, entry.crop),
            ] {
                let spec = Self.spec(m, mode)
                let scale = try pipeline.decode(data, spec: spec).scale
                let d = try Self.deviation(
                    try pipeline.process(data: data, spec: spec).input, spec: spec, reference: ref)
                if scale == 1 {
                    // No DCT scaling possible: fast mode is the exact path.
                    #expect(d.max <= 1.0 + 1e-3, "\(entry.file): unscaled fast path differs")
                } else {
                    scaledMeans["\(entry.file) \(mode) 1/\(scale)"] = d.mean
                    #expect(d.mean < 1.5, "\(entry.file) \(mode): mean deviation \(d.mean)/255")
                }
            }
        }
        #expect(!scaledMeans.isEmpty, "no fixture exercised DCT scaling")
        for (k, v) in scaledMeans.sorted(by: { $0.key < $1.key }) {
            print("fast-mode deviation \(k): mean \(String(format: "%.3f", v))/255")
        }
    }
}
