// picseek-index-stress: indexes folders with a fake model so the kill test in
// LibraryTests can SIGKILL it at random moments and check the index.
//
// Usage: picseek-index-stress --db PATH [--delay-ms N] ROOT...
//
// The "model" is honest about what it is: a fixed random projection of a
// byte histogram, so equal files get equal vectors and a clean run and a
// killed-and-resumed run must agree bit for bit. --delay-ms stands in for the
// time a real decoder needs per photo.
import Foundation
import Library
import PicseekCore
import Store

/// A deterministic stand-in for a CLIP model: 48 inputs → 16-d unit vectors.
final class ProjectionEmbedder: Embedder, @unchecked Sendable {
    let model = EmbedderIdentity(
        name: "stress-projection", family: "test", dimension: 16, fingerprint: "seed-7")
    let preprocess = PreprocessSpec(
        size: 4, mode: .squash, mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
    private let weights: [Float]

    init() {
        var state: UInt64 = 7
        weights = (0..<(48 * 16)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000
        }
    }

    func embedImages(_ batch: [[Float]]) throws -> [[Float]] {
        batch.map { input in
            var out = [Float](repeating: 0, count: 16)
            for j in 0..<16 {
                var sum: Float = 0
                for i in 0..<min(48, input.count) { sum += weights[j * 48 + i] * input[i] }
                out[j] = sum
            }
            let norm = out.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return norm > 0 ? out.map { $0 / norm } : out
        }
    }

    func embedText(_ text: String) throws -> [Float] {
        try embedImages([Array(text.utf8).prefix(48).map { Float($0) / 255 }])[0]
    }
}

struct StressDecodeError: Error, CustomStringConvertible {
    var description: String { "not a photo: the file starts with BROKEN" }
}

func parse() -> (db: String, delay: UInt32, roots: [[UInt8]])? {
    var db: String?
    var delay: UInt32 = 0
    var roots: [[UInt8]] = []
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let arg = args.next() {
        switch arg {
        case "--db": db = args.next()
        case "--delay-ms": delay = args.next().flatMap { UInt32($0) } ?? 0
        default: roots.append(Array(arg.utf8))
        }
    }
    guard let db, !roots.isEmpty else { return nil }
    return (db, delay, roots)
}

guard let (dbPath, delayMs, roots) = parse() else {
    FileHandle.standardError.write(
        Data("usage: picseek-index-stress --db PATH [--delay-ms N] ROOT...\n".utf8))
    exit(2)
}

let processor: PhotoProcessor = { bytes, _ in
    if bytes.starts(with: Array("BROKEN".utf8)) { throw StressDecodeError() }
    var histogram = [Float](repeating: 0, count: 48)
    for (i, b) in bytes.enumerated() { histogram[(Int(b) + i) % 48] += 1 }
    let total = Float(max(1, bytes.count))
    if delayMs > 0 { usleep(delayMs * 1000) }
    let thumb = RGBImage(width: 1, height: 1, pixels: [bytes.first ?? 0, 0, 0])
    return ProcessedPhoto(
        input: histogram.map { $0 / total }, thumbnail: thumb,
        metadata: PhotoMetadata(width: bytes.count, height: 1))
}

do {
    let store = try IndexStore.open(path: dbPath)
    var options = IndexOptions()
    options.commitEvery = 16
    options.commitInterval = 0.05
    // Stand-in thumbnail bytes (this helper links no image codec): written like real ones.
    let indexer = Indexer(
        store: store, embedder: ProjectionEmbedder(), processor: processor,
        encodeThumbnail: { image, _ in image.pixels }, options: options)
    let report = try indexer.run(roots: roots)
    print("scanned \(report.scanned) added \(report.added) failed \(report.failed) "
        + "removed \(report.removed) moved \(report.moved)")
} catch {
    FileHandle.standardError.write(Data("picseek-index-stress: \(error)\n".utf8))
    exit(1)
}
