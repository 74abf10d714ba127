import Imaging
import PicseekCore

#if canImport(Glibc)
    import Glibc
#endif

/// `picseek bench images`: times the image pipeline (decode, resize, normalise, thumbnail)
/// on a generated 24 MP JPEG, or on a given photo of any format it reads, one thread.
public struct ImagesBench {
    /// The container of the timed photo.
    public enum Format: String, CaseIterable, Sendable {
        case jpeg, png, webp, gif, tiff, heic, avif
    }

    /// How the model input is made from the photo.
    public enum Mode: String, CaseIterable, Sendable {
        /// Squashed to a square (Chinese-CLIP).
        case squash
        /// Shortest side resized, then a centre crop (OpenCLIP).
        case crop
    }

    /// Width of the generated photo in pixels.
    public var width = 6000
    /// Height of the generated photo in pixels.
    public var height = 4000
    /// JPEG quality of the generated photo.
    public var quality = 90
    /// Timed runs of the fast (DCT-scaled) pipeline.
    public var runs = 15
    /// Timed runs of the exact (full-size decode) pipeline.
    public var exactRuns = 5
    /// Model input mode.
    public var mode: Mode = .squash
    /// Also write the generated JPEG to this path (for scripts/bench_pil_preprocess.py).
    public var saveJPEG: String?
    /// The format of the timed photo; every format but JPEG needs `file`.
    public var photoFormat: Format = .jpeg
    /// A photo to time instead of the generated JPEG; it must be of `photoFormat`.
    public var file: String?
    /// Where the report's lines go, one call per line.
    public var output: (String) -> Void = { print($0) }

    /// A benchmark with the default settings.
    public init() {}

    /// Runs the measurements and prints their lines through `output`.
    public func run() throws {
        let spec = PreprocessSpec(
            size: 224, mode: mode == .squash ? .squash : .shortestSideCenterCrop,
            mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
        if let file {
            try runFile(file, spec: spec)
            return
        }
        guard photoFormat == .jpeg else {
            throw BenchError.needsPhoto(format: photoFormat.rawValue)
        }
        let image = Self.syntheticPhoto(width: width, height: height)
        let data = try JPEG.encode(image, quality: quality)
        let bpp = Double(data.count * 8) / Double(width * height)
        output(
            "photo: \(width)x\(height) JPEG q\(quality), \(data.count) bytes "
                + "(\(format(bpp)) bits/pixel), mode \(mode.rawValue)")
        try runJPEG(data, spec: spec)
    }

    /// Times the photo at `path`, which must be of `photoFormat`.
    func runFile(_ path: String, spec: PreprocessSpec) throws {
        let shown = TerminalSafe.escape(path)
        let data: [UInt8]
        do { data = try ImagePipeline().readFile(path) } catch {
            throw BenchError.unreadable(path: shown)
        }
        let found = ImageFormat.sniff(data).flatMap(Self.benchFormat)
        guard found == photoFormat else {
            throw BenchError.wrongFormat(
                path: shown, expected: photoFormat.rawValue,
                found: found?.rawValue ?? "not an image")
        }
        let (_, meta) = try ImagePipeline().thumbnail(data: data)
        let bpp = Double(data.count * 8) / Double(max(1, meta.width * meta.height))
        output(
            "photo: \(shown), \(meta.width)x\(meta.height) \(photoFormat.rawValue), "
                + "\(data.count) bytes (\(format(bpp)) bits/pixel), mode \(mode.rawValue)")
        if photoFormat == .jpeg {
            try runJPEG(data, spec: spec)
            return
        }
        // No scaled decode for these formats: the fast pipeline decodes at full size.
        let pipeline = ImagePipeline()
        _ = try pipeline.process(data: data, spec: spec) // warm-up
        let times = try (0..<runs).map { _ in
            try time { _ = try pipeline.process(data: data, spec: spec) }
        }
        let decodeTimes = try (0..<runs).map { _ in try time { try decodeOnly(data) } }
        output(
            "pipeline (full decode): median \(report(times)) per image; "
                + "decode alone \(report(decodeTimes)) (\(runs) runs, one thread)")
        if photoFormat == .heic {
            // The same decode with libheif's own HEVC decoder, for comparison.
            let de265Times = try (0..<runs).map { _ in
                try time { _ = try HEIF.decode(data, hevcDecoder: .libde265) }
            }
            output(
                "decode alone with libde265 instead of libavcodec: median "
                    + "\(report(de265Times)) (\(runs) runs)")
        }
    }

    /// The benchmark's name for a sniffed container.
    static func benchFormat(_ sniffed: ImageFormat) -> Format? {
        switch sniffed {
        case .jpeg: return .jpeg
        case .png: return .png
        case .webp: return .webp
        case .gif: return .gif
        case .tiff: return .tiff
        case .heif: return .heic
        case .avif: return .avif
        default: return nil
        }
    }

    /// Decodes `data` with the format's own decoder only (no resize, no thumbnail).
    func decodeOnly(_ data: [UInt8]) throws {
        switch photoFormat {
        case .jpeg: _ = try JPEG.decode(data, scale: 1)
        case .png: _ = try PNG.decode(data)
        case .webp: _ = try WebP.decode(data)
        case .gif: _ = try GIF.decode(data)
        case .tiff: _ = try TIFF.decode(data)
        case .heic, .avif: _ = try HEIF.decode(data)
        }
    }

    /// The JPEG measurements: the DCT-scaled pipeline, then the exact one.
    func runJPEG(_ data: [UInt8], spec: PreprocessSpec) throws {
        if let saveJPEG {
            try writeFile(saveJPEG, data)
            output("wrote \(TerminalSafe.escape(saveJPEG))")
        }

        let fast = ImagePipeline()
        let header = try JPEG.header(data)
        let scale = fast.dctScale(
            width: header.info.width, height: header.info.height, orientation: 1, spec: spec)
        var fastOut = try fast.process(data: data, spec: spec) // warm-up
        let fastTimes = try (0..<runs).map { _ in
            try time { fastOut = try fast.process(data: data, spec: spec) }
        }
        let decodeTimes = try (0..<runs).map { _ in
            try time { _ = try JPEG.decode(data, scale: scale) }
        }
        output(
            "fast  (DCT 1/\(scale)): median \(report(fastTimes)) per image; "
                + "decode alone \(report(decodeTimes)) (\(runs) runs, one thread)")

        guard exactRuns > 0 else { return }
        let exact = ImagePipeline(exact: true)
        var exactOut = fastOut
        let exactTimes = try (0..<exactRuns).map { _ in
            try time { exactOut = try exact.process(data: data, spec: spec) }
        }
        output("exact (full decode): median \(report(exactTimes)) per image (\(exactRuns) runs)")
        let deviation = meanAbsDeviation(fastOut.input, exactOut.input, spec: spec)
        output("fast vs exact model input: mean abs deviation \(format(deviation))/255")
    }

    /// Smooth gradients, hard edges and per-pixel noise: about 2.5 bits per pixel at q90.
    static func syntheticPhoto(width: Int, height: Int) -> RGBImage {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        pixels.withUnsafeMutableBufferPointer { p in
            for y in 0..<height {
                let v = y * 255 / height
                for x in 0..<width {
                    let u = x * 255 / width
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    let n = Int(truncatingIfNeeded: (state >> 33) & 63) - 32
                    let edge = ((x / 97) + (y / 61)) % 2 == 0 ? 40 : 0
                    let i = (y * width + x) * 3
                    p[i] = UInt8(clamping: u + n + edge)
                    p[i + 1] = UInt8(clamping: v + (n >> 1) + edge)
                    p[i + 2] = UInt8(clamping: (u + v) / 2 - n)
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Wall-clock and the process's CPU time of one call, in milliseconds. CPU
    /// time is the steadier figure on a shared machine; it is the whole process's
    /// because libheif's HEVC decoder (libde265) works on a thread of its own.
    struct Sample {
        var wall: Double
        var cpu: Double
    }

    func time(_ body: () throws -> Void) throws -> Sample {
        let clock = ContinuousClock()
        let cpu0 = BenchClock.processCPUSeconds()
        let start = clock.now
        try body()
        let (s, atto) = (clock.now - start).components
        return Sample(
            wall: Double(s) * 1000 + Double(atto) / 1e15,
            cpu: (BenchClock.processCPUSeconds() - cpu0) * 1000)
    }

    func report(_ samples: [Sample]) -> String {
        "\(format(Samples(samples.map(\.wall)).upperMedian)) ms wall, "
            + "\(format(Samples(samples.map(\.cpu)).upperMedian)) ms cpu"
    }

    func format(_ v: Double) -> String {
        let scaled = (v * 100).rounded() / 100
        return String(scaled)
    }

    func meanAbsDeviation(_ a: [Float], _ b: [Float], spec: PreprocessSpec) -> Double {
        let plane = spec.size * spec.size
        var sum = 0.0
        for i in 0..<min(a.count, b.count) {
            sum += Double(abs(a[i] - b[i])) * Double(spec.std[i / plane]) * 255
        }
        return sum / Double(max(1, a.count))
    }

    func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        guard let f = fopen(path, "wb") else {
            throw BenchError.unwritable(path: TerminalSafe.escape(path))
        }
        defer { fclose(f) }
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        guard written == bytes.count else {
            throw BenchError.shortWrite(path: TerminalSafe.escape(path))
        }
    }
}
