import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Imaging
import PicseekCore

/// `picseek bench images`: time the image pipeline on a generated 24 MP JPEG.
///
/// Not registered in a command group on this branch: the integrator adds it to
/// the `bench` group (`BenchCommand.swift`) as a subcommand.
struct BenchImages: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images",
        abstract: "Time decode + resize + normalise + thumbnail on a generated JPEG (one thread).")

    @Option(help: "Width of the generated photo in pixels.")
    var width = 6000

    @Option(help: "Height of the generated photo in pixels.")
    var height = 4000

    @Option(help: "JPEG quality of the generated photo.")
    var quality = 90

    @Option(help: "Timed runs of the fast (DCT-scaled) pipeline.")
    var runs = 15

    @Option(help: "Timed runs of the exact (full-size decode) pipeline.")
    var exactRuns = 5

    @Option(help: "Model input mode: squash (Chinese-CLIP) or crop (OpenCLIP shortest side + centre crop).")
    var mode = "squash"

    @Option(help: "Also write the generated JPEG to this path (for scripts/bench_pil_preprocess.py).")
    var saveJPEG: String?

    func validate() throws {
        guard width >= 16, height >= 16, width * height <= 100_000_000 else {
            throw ValidationError("size must be at least 16x16 and at most 100 megapixels")
        }
        guard runs > 0, exactRuns >= 0 else { throw ValidationError("runs must be positive") }
        guard mode == "squash" || mode == "crop" else { throw ValidationError("mode must be squash or crop") }
    }

    func run() throws {
        let spec = PreprocessSpec(
            size: 224, mode: mode == "squash" ? .squash : .shortestSideCenterCrop,
            mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
        let image = Self.syntheticPhoto(width: width, height: height)
        let data = try JPEG.encode(image, quality: quality)
        let bpp = Double(data.count * 8) / Double(width * height)
        print("photo: \(width)x\(height) JPEG q\(quality), \(data.count) bytes (\(format(bpp)) bits/pixel), mode \(mode)")
        if let saveJPEG {
            try writeFile(saveJPEG, data)
            print("wrote \(TerminalSafe.escape(saveJPEG))")
        }

        let fast = ImagePipeline()
        let header = try JPEG.header(data)
        let scale = fast.dctScale(width: header.info.width, height: header.info.height, orientation: 1, spec: spec)
        var fastOut = try fast.process(data: data, spec: spec)  // warm-up
        let fastTimes = try (0..<runs).map { _ in
            try time { fastOut = try fast.process(data: data, spec: spec) }
        }
        let decodeTimes = try (0..<runs).map { _ in
            try time { _ = try JPEG.decode(data, scale: scale) }
        }
        print("fast  (DCT 1/\(scale)): median \(report(fastTimes)) per image; "
              + "decode alone \(report(decodeTimes)) (\(runs) runs, one thread)")

        guard exactRuns > 0 else { return }
        let exact = ImagePipeline(exact: true)
        var exactOut = fastOut
        let exactTimes = try (0..<exactRuns).map { _ in
            try time { exactOut = try exact.process(data: data, spec: spec) }
        }
        print("exact (full decode): median \(report(exactTimes)) per image (\(exactRuns) runs)")
        let deviation = meanAbsDeviation(fastOut.input, exactOut.input, spec: spec)
        print("fast vs exact model input: mean abs deviation \(format(deviation))/255")
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

    /// Wall-clock and this thread's CPU time of one call, in milliseconds. CPU
    /// time is the steadier figure on a shared machine.
    struct Sample {
        var wall: Double
        var cpu: Double
    }

    func time(_ body: () throws -> Void) throws -> Sample {
        let clock = ContinuousClock()
        let cpu0 = Self.threadCPUms()
        let start = clock.now
        try body()
        let (s, atto) = (clock.now - start).components
        return Sample(wall: Double(s) * 1000 + Double(atto) / 1e15, cpu: Self.threadCPUms() - cpu0)
    }

    static func threadCPUms() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
    }

    func report(_ samples: [Sample]) -> String {
        func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
        return "\(format(median(samples.map(\.wall)))) ms wall, "
            + "\(format(median(samples.map(\.cpu)))) ms cpu"
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
            throw ValidationError("cannot write \(TerminalSafe.escape(path))")
        }
        defer { fclose(f) }
        let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        guard written == bytes.count else {
            throw ValidationError("short write to \(TerminalSafe.escape(path))")
        }
    }
}
