import Foundation
import Imaging
import Library
import PicseekCore

/// A deterministic stand-in for a CLIP model that counts its work.
///
/// Images: a fixed random projection of the 48-value input to `dimension`,
/// L2-normalised. Text: the same projection of the text's byte histogram, so
/// a file whose bytes are "red car" scores 1.0 against the text "red car".
final class FakeEmbedder: Embedder, @unchecked Sendable {
    let model: EmbedderIdentity
    let preprocess = PreprocessSpec(
        size: 4, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
    private let weights: [Float]
    private let lock = NSLock()
    private var images = 0
    private var texts: [String] = []

    init(name: String = "fake", dimension: Int = 8, seed: UInt64 = 1, fingerprint: String = "w1") {
        model = EmbedderIdentity(
            name: name, family: "test", dimension: dimension, fingerprint: fingerprint)
        var state = seed
        weights = (0..<(48 * dimension)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
    }

    /// Images embedded so far.
    var imageCount: Int { lock.withLock { images } }
    /// Texts embedded so far, in order.
    var textLog: [String] { lock.withLock { texts } }

    func embedImages(_ batch: [[Float]]) throws -> [[Float]] {
        lock.withLock { images += batch.count }
        return batch.map(project)
    }

    func embedText(_ text: String) throws -> [Float] {
        lock.withLock { texts.append(text) }
        return project(Fakes.histogram(Array(text.utf8)))
    }

    func project(_ input: [Float]) -> [Float] {
        let d = model.dimension
        var out = [Float](repeating: 0, count: d)
        for j in 0..<d {
            var s: Float = 0
            for i in 0..<min(48, input.count) { s += weights[j * 48 + i] * input[i] }
            out[j] = s
        }
        let norm = out.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? out.map { $0 / norm } : out
    }
}

struct FakeDecodeError: Error, CustomStringConvertible {
    var description: String { "corrupt photo: fake decoder rejects files starting with BROKEN" }
}

enum Fakes {
    /// A 48-bucket byte histogram, normalised by length.
    static func histogram(_ bytes: [UInt8]) -> [Float] {
        var h = [Float](repeating: 0, count: 48)
        for (i, b) in bytes.enumerated() { h[(Int(b) &+ i) % 48] += 1 }
        let n = Float(max(1, bytes.count))
        return h.map { $0 / n }
    }

    /// Fake processor: histogram input, a 2×1 thumbnail from the first bytes;
    /// rejects files starting with "BROKEN".
    static let processor: PhotoProcessor = { bytes, _ in
        if bytes.starts(with: Array("BROKEN".utf8)) { throw FakeDecodeError() }
        let thumb = RGBImage(
            width: 2, height: 1,
            pixels: (0..<6).map { bytes.isEmpty ? 0 : bytes[$0 % bytes.count] })
        return ProcessedPhoto(
            input: histogram(bytes), thumbnail: thumb,
            metadata: PhotoMetadata(width: bytes.count, height: 1))
    }

    /// The real thumbnail encoder, as the executable passes it: Imaging's JPEG encoder.
    static let encodeThumbnail: ThumbnailEncoder = { image, quality in
        try JPEG.encode(image, quality: quality)
    }

    /// A real processor for tests: libjpeg decode, box resize to the spec's
    /// size, channel-planar normalised input, 16-pixel thumbnail.
    static let jpegProcessor: PhotoProcessor = { bytes, spec in
        let decoded = try JPEG.decode(bytes)
        let image = decoded.image
        let size = spec.size
        let small = boxResize(image, width: size, height: size)
        var input = [Float](repeating: 0, count: 3 * size * size)
        for c in 0..<3 {
            for p in 0..<(size * size) {
                let v = Float(small.pixels[p * 3 + c]) / 255
                input[c * size * size + p] = (v - spec.mean[c]) / spec.std[c]
            }
        }
        return ProcessedPhoto(
            input: input, thumbnail: boxResize(image, width: 16, height: 16),
            metadata: PhotoMetadata(width: image.width, height: image.height))
    }

    static func boxResize(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            let y0 = y * image.height / height, y1 = max(y0 + 1, (y + 1) * image.height / height)
            for x in 0..<width {
                let x0 = x * image.width / width, x1 = max(x0 + 1, (x + 1) * image.width / width)
                for c in 0..<3 {
                    var sum = 0
                    for yy in y0..<y1 {
                        for xx in x0..<x1 { sum += Int(image.pixels[(yy * image.width + xx) * 3 + c]) }
                    }
                    out[(y * width + x) * 3 + c] = UInt8(sum / ((y1 - y0) * (x1 - x0)))
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }
}
