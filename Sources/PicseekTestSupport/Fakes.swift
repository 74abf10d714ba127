import Foundation
import PicseekCore

/// A deterministic stand-in for a CLIP model that counts its work.
///
/// Images: a fixed random projection of the 48-value input to `dimension`,
/// L2-normalised. Text: the same projection of the text's byte histogram, so
/// a file whose bytes are "red car" scores 1.0 against the text "red car".
public final class FakeEmbedder: Embedder, @unchecked Sendable {
    /// The name, family, dimension and fingerprint the index records.
    public let model: EmbedderIdentity
    /// A tiny input: 4×4 squashed, normalised like OpenAI CLIP.
    public let preprocess = PreprocessSpec(
        size: 4, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
    private let weights: [Float]
    private let lock = NSLock()
    private var images = 0
    private var texts: [String] = []

    /// A projection drawn from `seed`; equal seeds give equal vectors.
    public init(
        name: String = "fake", dimension: Int = 8, seed: UInt64 = 1, fingerprint: String = "w1"
    ) {
        model = EmbedderIdentity(
            name: name, family: "test", dimension: dimension, fingerprint: fingerprint)
        var state = seed
        weights = (0..<(48 * dimension)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
    }

    /// Images embedded so far.
    public var imageCount: Int { lock.withLock { images } }
    /// Texts embedded so far, in order.
    public var textLog: [String] { lock.withLock { texts } }

    /// The projection of each input, counted.
    public func embedImages(_ batch: [[Float]]) throws -> [[Float]] {
        lock.withLock { images += batch.count }
        return batch.map(project)
    }

    /// The projection of the text's byte histogram, logged.
    public func embedText(_ text: String) throws -> [Float] {
        lock.withLock { texts.append(text) }
        return project(Fakes.histogram(Array(text.utf8)))
    }

    /// The fixed projection of a 48-value input, L2-normalised.
    public func project(_ input: [Float]) -> [Float] {
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

/// What the fake processor throws for files that start with "BROKEN".
public struct FakeDecodeError: Error, CustomStringConvertible {
    public init() {}
    public var description: String {
        "corrupt photo: fake decoder rejects files starting with BROKEN"
    }
}

/// Stand-ins for the image pipeline, shared by the tests and `picseek-index-stress`.
public enum Fakes {
    /// A 48-bucket byte histogram, normalised by length.
    public static func histogram(_ bytes: [UInt8]) -> [Float] {
        var h = [Float](repeating: 0, count: 48)
        for (i, b) in bytes.enumerated() { h[(Int(b) &+ i) % 48] += 1 }
        let n = Float(max(1, bytes.count))
        return h.map { $0 / n }
    }

    /// Fake processor: histogram input, a 2×1 thumbnail from the first bytes;
    /// rejects files starting with "BROKEN".
    public static let processor: PhotoProcessor = processor(delayMicroseconds: 0)

    /// The fake processor, taking `delayMicroseconds` per photo as a real decoder would.
    public static func processor(delayMicroseconds: UInt32) -> PhotoProcessor {
        { bytes, _ in
            if bytes.starts(with: Array("BROKEN".utf8)) { throw FakeDecodeError() }
            if delayMicroseconds > 0 { usleep(delayMicroseconds) }
            let thumb = RGBImage(
                width: 2, height: 1,
                pixels: (0..<6).map { bytes.isEmpty ? 0 : bytes[$0 % bytes.count] })
            return ProcessedPhoto(
                input: histogram(bytes), thumbnail: thumb,
                metadata: PhotoMetadata(width: bytes.count, height: 1))
        }
    }

    /// Stand-in thumbnail bytes (the raw pixels) for code that links no image codec.
    public static let rawThumbnail: ThumbnailEncoder = { image, _ in image.pixels }
}
