import ArgumentParser
import CLIP
import Foundation
import PicseekCore
import Tensor

/// `picseek bench engine`: image throughput and text-query latency of the CLIP engine.
///
/// By default builds, one after the other, both model families picseek supports with
/// random weights in memory (no file): Chinese-CLIP ViT-B/16 + RoBERTa-wwm-ext-base and
/// OpenCLIP xlm-roberta-base-ViT-B-32 (GELU ViT-B/32, XLM-R base with its 250002-word
/// table, 768 MB of fp32). For each, the text tower is built and measured first, alone,
/// then released, so the RSS printed after it is the text-query footprint. Ends with the
/// B/32 over B/16 speed ratio at batch 8.
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Images/s at batch 1 and 8 and text-query latency of the CLIP engine.")

    /// Which random-weight model families to measure.
    enum Family: String, ExpressibleByArgument, CaseIterable {
        case all
        case chineseCLIP = "chinese-clip"
        case xlmRoberta = "xlm-roberta"
    }

    @Option(name: .long, help: "Threads of OpenBLAS and of picseek's kernels (with bf16, OpenBLAS gets 1; see --image-precision).")
    var threads = 2

    @Option(name: .long, help: "Timed runs per image batch size (median reported).")
    var runs = 5

    @Option(name: .long, help: "Timed text queries (median reported).")
    var textRuns = 50

    @Option(name: .long, help: "Tokens in the text query, including the start and end tokens.")
    var tokens = 10

    @Option(name: .long, help: "Model families with random weights: all, chinese-clip, xlm-roberta.")
    var family: Family = .all

    @Option(name: .long, help: "Linear layers with at most this many rows use the thin kernel (0: OpenBLAS only).")
    var thinMaxRows = Kernels.thinLinearMaxRows

    @Option(name: .long, help: "Instruction set of the thin kernel: scalar, avx2, avx512 (default: the best this CPU has).")
    var simd: SIMDLevel?

    @Option(name: .long, help: "Image tower Linear layers in fp32 (default) or bf16 (AVX512_BF16 CPUs); bf16 also prints the distance from fp32.")
    var imagePrecision: ImagePrecision = .float32

    @Option(name: .long, help: "Use a Hugging Face model folder instead of random weights.")
    var model: String?

    @Flag(name: .long, help: "Measure only the text query (skip the image tower).")
    var textOnly = false

    @Flag(name: .long, help: "Print the results as JSON objects, one line per model.")
    var json = false

    func validate() throws {
        guard threads >= 1, runs >= 1, textRuns >= 1, tokens >= 3, thinMaxRows >= 0 else {
            throw ValidationError("threads, runs and text-runs must be positive, tokens at least 3, thin-max-rows not negative")
        }
        try PrecisionOptions.checkSupported(imagePrecision)
        if let simd, !simd.isSupported {
            throw ValidationError("this CPU cannot run \(simd); it supports \(SIMDLevel.supported.map(\.description).joined(separator: ", "))")
        }
    }

    /// What one model measured.
    struct Result {
        var name: String
        var textMs = 0.0
        var textCPUMs = 0.0
        var textRSS = 0
        var textWeightBytes = 0
        var imagesPerSecond: [Int: Double] = [:]
        var cpuMsPerImage: [Int: Double] = [:]
    }

    func run() throws {
        Kernels.threads = threads
        BLAS.threads = imagePrecision == .bfloat16 ? 1 : threads
        Kernels.thinLinearMaxRows = thinMaxRows
        if let simd { Kernels.thinLinearLevel = simd }
        if !json {
            print("threads: \(Kernels.threads) (picseek kernels), \(BLAS.threads) (OpenBLAS)")
            print("openblas: \(BLAS.configuration)")
            print("thin linear: up to \(thinMaxRows) rows, \(Kernels.thinLinearLevel)")
            print("image tower Linear layers: \(imagePrecision.rawValue)")
            print("load average before: \(loadAverage())")
        }
        var results: [Result] = []
        if let model {
            let clip: ClipModel
            do {
                clip = try ClipModel(directory: model, imagePrecision: imagePrecision)
            } catch {
                throw ValidationError("cannot load model \(TerminalSafe.escape(model)): \(TerminalSafe.escape(error.description))")
            }
            let startIDs = clip.config.text.padTokenID == 1 ? (0, 2) : (101, 102)
            var result = try measureText(clip.text, name: TerminalSafe.escape(model), ids: startIDs, weightBytes: 0)
            if !textOnly { measureImages(clip.vision, into: &result) }
            results.append(result)
        } else {
            if family != .xlmRoberta {
                results.append(try measureRandom(
                    name: "chinese-clip ViT-B/16 + RoBERTa-wwm-ext-base", config: .chineseCLIPViTB16,
                    names: TensorNames(.huggingFaceChineseCLIP), ids: (101, 102)))
            }
            if family != .chineseCLIP {
                results.append(try measureRandom(
                    name: "openclip xlm-roberta-base-ViT-B-32", config: .openCLIPXLMRobertaBaseViTB32,
                    names: TensorNames(.openCLIP), ids: (0, 2)))
            }
        }
        let ratio: Double? = results.count == 2
            ? results[1].imagesPerSecond[8].flatMap { b32 in results[0].imagesPerSecond[8].map { b32 / $0 } }
            : nil
        // CPU time per image is steadier than wall time on a shared machine.
        let cpuRatio: Double? = results.count == 2
            ? results[0].cpuMsPerImage[8].flatMap { b16 in results[1].cpuMsPerImage[8].map { b16 / $0 } }
            : nil
        if json {
            for r in results { print(jsonLine(r)) }
            if let ratio, let cpuRatio {
                print(String(format: "{\"b32_over_b16_batch8\":%.3f,\"b32_over_b16_batch8_cpu\":%.3f}", ratio, cpuRatio))
            }
        } else {
            if let ratio, let cpuRatio {
                print(String(format: "ViT-B/32 over ViT-B/16 images/s at batch 8: %.2fx wall, %.2fx by CPU time per image (goal >= 3.5x)",
                             ratio, cpuRatio))
            }
            print(String(format: "peak RSS: %.1f MB", mb(peakRSSBytes())))
            print("load average after: \(loadAverage())")
        }
    }

    /// Builds one family's towers from random weights, text first, and measures them.
    private func measureRandom(name: String, config: CLIPConfig, names: TensorNames, ids: (Int, Int)) throws -> Result {
        var result: Result
        do {
            let weights = RandomWeights(seed: 1)
            let text = try TextTower(
                config: config.text, projectionDim: config.projectionDim, projection: config.textProjection,
                weights: weights, names: names)
            result = try measureText(text, name: name, ids: ids, weightBytes: weights.allocatedBytes)
        }
        if !textOnly {
            let vision = try VisionTower(
                config: config.vision, projectionDim: config.projectionDim,
                weights: RandomWeights(seed: 2), names: names, precision: imagePrecision)
            measureImages(vision, into: &result)
            if imagePrecision != .float32 {
                let reference = try VisionTower(
                    config: config.vision, projectionDim: config.projectionDim,
                    weights: RandomWeights(seed: 2), names: names)
                compare(vision, with: reference)
            }
        }
        return result
    }

    /// Median latency of one query: start id, random ids, end id.
    private func measureText(_ tower: TextTower, name: String, ids: (Int, Int), weightBytes: Int) throws -> Result {
        var result = Result(name: name)
        var rng = SystemRandomNumberGenerator()
        let upper = min(tower.config.vocabSize, 7991)
        let middle = (0..<(tokens - 2)).map { _ in Int.random(in: min(672, upper - 1)..<upper, using: &rng) }
        let query = [ids.0] + middle + [ids.1]
        for _ in 0..<3 { _ = try tower.embed(ids: query) }
        var times: [Double] = []
        let cpuStart = cpuSeconds()
        for _ in 0..<textRuns {
            let start = ContinuousClock.now
            _ = try tower.embed(ids: query)
            times.append(seconds(ContinuousClock.now - start))
        }
        result.textCPUMs = (cpuSeconds() - cpuStart) / Double(textRuns) * 1000
        result.textMs = median(times) * 1000
        result.textRSS = peakRSSBytes()
        result.textWeightBytes = weightBytes
        if !json {
            print("== \(name)")
            print(String(format: "text query (%d tokens): median %.2f ms (min %.2f, %d runs; CPU time %.2f ms per query)",
                         tokens, result.textMs, (times.min() ?? 0) * 1000, textRuns, result.textCPUMs))
            if weightBytes > 0 {
                print(String(format: "text tower weights: %.1f MB; peak RSS after text queries: %.1f MB",
                             mb(weightBytes), mb(result.textRSS)))
            } else {
                print(String(format: "peak RSS after text queries: %.1f MB", mb(result.textRSS)))
            }
        }
        return result
    }

    /// `batch` images of fixed pseudo-random pixels.
    private func randomPixels(_ vision: VisionTower, batch: Int) -> Tensor {
        let count = batch * vision.pixelsPerImage
        let pixels = Tensor(shape: [count])
        var state = UInt64(batch) &* 0x9E37_79B9_7F4A_7C15
        for i in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            pixels.data[i] = Float(state >> 40) / Float(1 << 24) * 4 - 2
        }
        return pixels
    }

    /// Prints how far `vision`'s embeddings of 8 images are from `reference`'s.
    private func compare(_ vision: VisionTower, with reference: VisionTower) {
        let pixels = randomPixels(vision, batch: 8)
        let got = vision.embed(pixels.data, batch: 8), want = reference.embed(pixels.data, batch: 8)
        let cosines = zip(got, want).map { a, b in zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
        let maxDiff = zip(got, want).map { a, b in zip(a, b).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
        if !json {
            print(String(format: "%@ vs fp32 embeddings of 8 images: cosine min %.6f, max-abs difference %.2e",
                         vision.precision.rawValue, Double(cosines.min() ?? 0), Double(maxDiff)))
        }
    }

    /// Images/s at batch 1 and 8 on fixed pseudo-random pixels.
    private func measureImages(_ vision: VisionTower, into result: inout Result) {
        for batch in [1, 8] {
            let pixels = randomPixels(vision, batch: batch)
            _ = vision.embed(pixels.data, batch: batch)
            var times: [Double] = []
            let cpuStart = cpuSeconds()
            for _ in 0..<runs {
                let start = ContinuousClock.now
                _ = vision.embed(pixels.data, batch: batch)
                times.append(seconds(ContinuousClock.now - start))
            }
            let cpuPerImage = (cpuSeconds() - cpuStart) / Double(runs * batch) * 1000
            let perSecond = Double(batch) / median(times)
            result.imagesPerSecond[batch] = perSecond
            result.cpuMsPerImage[batch] = cpuPerImage
            if !json {
                print(String(format: "images batch %d: %.2f images/s (median of %d, %.0f ms per batch; CPU time %.0f ms per image)",
                             batch, perSecond, runs, median(times) * 1000, cpuPerImage))
            }
        }
    }

    private func jsonLine(_ r: Result) -> String {
        let name = r.name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return String(
            format: "{\"model\":\"%@\",\"threads\":%d,\"images_per_second_batch1\":%.4f,\"images_per_second_batch8\":%.4f,"
                + "\"cpu_ms_per_image_batch8\":%.1f,\"text_query_ms\":%.3f,\"text_cpu_ms\":%.3f,\"text_tokens\":%d,"
                + "\"text_peak_rss_mb\":%.1f,\"text_weights_mb\":%.1f,\"peak_rss_mb\":%.1f}",
            name, threads, r.imagesPerSecond[1] ?? 0, r.imagesPerSecond[8] ?? 0, r.cpuMsPerImage[8] ?? 0,
            r.textMs, r.textCPUMs, tokens, mb(r.textRSS), mb(r.textWeightBytes), mb(peakRSSBytes()))
    }

    private func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
            .split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
    }

    private func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }

    private func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    private func mb(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }

    /// User + system CPU time of the process so far (all threads).
    private func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }

    private func peakRSSBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}

extension SIMDLevel: ExpressibleByArgument {
    public init?(argument: String) {
        guard let level = SIMDLevel.allCases.first(where: { $0.description == argument }) else { return nil }
        self = level
    }
}

