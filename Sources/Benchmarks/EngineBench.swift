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
public struct EngineBench {
    /// Which random-weight model families to measure.
    public enum Family: String, CaseIterable, Sendable {
        /// Both families, Chinese-CLIP first.
        case all
        /// Chinese-CLIP ViT-B/16 + RoBERTa-wwm-ext-base.
        case chineseCLIP = "chinese-clip"
        /// OpenCLIP xlm-roberta-base-ViT-B-32.
        case xlmRoberta = "xlm-roberta"
    }

    /// Threads of OpenBLAS and of picseek's kernels (OpenBLAS gets 1 where the image tower
    /// multiplies in picseek's kernels: bf16, int8, and fp32 on CPUs with AVX-512F).
    public var threads = 2
    /// Timed runs per image batch size (median reported).
    public var runs = 5
    /// Timed text queries (median reported).
    public var textRuns = 50
    /// Tokens in the text query, including the start and end tokens.
    public var tokens = 10
    /// Model families with random weights.
    public var family: Family = .all
    /// Linear layers with at most this many rows use the thin kernel (0: OpenBLAS only).
    public var thinMaxRows = Kernels.thinLinearMaxRows
    /// Instruction set of the thin kernel (nil: the best this CPU has).
    public var simd: SIMDLevel?
    /// Precision of the image tower's Linear layers; bf16 and int8 also print the distance
    /// from fp32.
    public var imagePrecision: ImagePrecision = .float32
    /// A Hugging Face model folder to measure instead of random weights.
    public var model: String?
    /// Measure only the text query (skip the image tower).
    public var textOnly = false
    /// Print the results as JSON objects, one line per model.
    public var json = false
    /// Pack the text tower's weights (`TextTower`'s default); false measures them in place.
    public var packText = true
    /// Print the time of each text-tower stage per query.
    public var textProfile = false
    /// Print the time of each image-tower stage per image (wall and CPU), at each batch size.
    public var imageProfile = false
    /// Keep a float32 image tower on OpenBLAS `sgemm` (with its own threads) instead of
    /// picseek's float32 GEMM, to compare the two in one binary.
    public var openBLASImages = false
    /// Precision of the text tower's block Linear layers; bf16 also prints the distance
    /// from fp32.
    public var textPrecision: TextPrecision = .float32
    /// Where the report's lines go, one call per line.
    public var output: (String) -> Void = { print($0) }

    /// A benchmark with the default settings.
    public init() {}

    /// What one model measured.
    struct Result {
        var name: String
        var textMs = 0.0
        var textCPUMs = 0.0
        var textRSS = 0
        var textWeightBytes = 0
        var imagesPerSecond: [Int: Double] = [:]
        var cpuMsPerImage: [Int: Double] = [:]
        /// The smallest cosine between the reduced-precision and float32 image vectors.
        var imageMinCosine: Double?
    }

    /// Runs the measurements and prints their lines through `output`.
    public func run() throws {
        Kernels.threads = threads
        if openBLASImages { Kernels.useF32Gemm = false }
        BLAS.threads = imagePrecision.usesOwnKernels() ? 1 : threads
        Kernels.thinLinearMaxRows = thinMaxRows
        TextPrecision.current = textPrecision
        if let simd { Kernels.thinLinearLevel = simd }
        if !json {
            output("threads: \(Kernels.threads) (picseek kernels), \(BLAS.threads) (OpenBLAS)")
            output("openblas: \(BLAS.configuration)")
            output("thin linear: up to \(thinMaxRows) rows, \(Kernels.thinLinearLevel)")
            output(
                "image tower Linear layers: \(imagePrecision.rawValue)"
                    + (imagePrecision == .float32
                        ? (Kernels.useF32Gemm ? ", picseek's GEMM" : ", OpenBLAS sgemm") : ""))
            output(
                "text tower Linear layers: \(textPrecision.rawValue)"
                    + (textPrecision == .float32
                        ? (packText ? ", packed in panels" : ", weights in place") : ""))
            output("load average before: \(loadAverage())")
        }
        var results: [Result] = []
        if let model {
            let clip: ClipModel
            let loadStart = ContinuousClock.now
            do {
                clip = try ClipModel(directory: model, imagePrecision: imagePrecision)
            } catch {
                throw BenchError.modelLoad(
                    path: TerminalSafe.escape(model), reason: TerminalSafe.escape(error.description)
                )
            }
            if !json {
                // The text tower packs its weights on its first query, not here.
                output(
                    String(
                        format: "model loaded in %.0f ms",
                        seconds(ContinuousClock.now - loadStart) * 1000))
            }
            let startIDs = clip.config.text.padTokenID == 1 ? (0, 2) : (101, 102)
            var result = try measureText(
                clip.text, name: TerminalSafe.escape(model), ids: startIDs, weightBytes: 0)
            if !textOnly { measureImages(clip.vision, into: &result) }
            results.append(result)
        } else {
            if family != .xlmRoberta {
                results.append(
                    try measureRandom(
                        name: "chinese-clip ViT-B/16 + RoBERTa-wwm-ext-base",
                        config: .chineseCLIPViTB16,
                        names: TensorNames(.huggingFaceChineseCLIP), ids: (101, 102)))
            }
            if family != .chineseCLIP {
                results.append(
                    try measureRandom(
                        name: "openclip xlm-roberta-base-ViT-B-32",
                        config: .openCLIPXLMRobertaBaseViTB32,
                        names: TensorNames(.openCLIP), ids: (0, 2)))
            }
        }
        let ratio: Double? =
            results.count == 2
            ? results[1].imagesPerSecond[8].flatMap { b32 in
                results[0].imagesPerSecond[8].map { b32 / $0 }
            }
            : nil
        // CPU time per image is steadier than wall time on a shared machine.
        let cpuRatio: Double? =
            results.count == 2
            ? results[0].cpuMsPerImage[8].flatMap { b16 in
                results[1].cpuMsPerImage[8].map { b16 / $0 }
            }
            : nil
        if json {
            for r in results { output(withImageAccuracy(jsonLine(r), r)) }
            if let ratio, let cpuRatio {
                output(
                    String(
                        format: "{\"b32_over_b16_batch8\":%.3f,\"b32_over_b16_batch8_cpu\":%.3f}",
                        ratio, cpuRatio))
            }
        } else {
            if let ratio, let cpuRatio {
                output(
                    String(
                        format:
                            "ViT-B/32 over ViT-B/16 images/s at batch 8: %.2fx wall, "
                            + "%.2fx by CPU time per image (goal >= 3.5x)",
                        ratio, cpuRatio))
            }
            output(String(format: "peak RSS: %.1f MB", mb(BenchClock.peakRSSBytes())))
            output("load average after: \(loadAverage())")
        }
    }

    /// Builds one family's towers from random weights, text first, and measures them.
    private func measureRandom(
        name: String, config: CLIPConfig, names: TensorNames, ids: (Int, Int)
    ) throws -> Result {
        var result: Result
        do {
            let weights = RandomWeights(seed: 1)
            let text = try TextTower(
                config: config.text, projectionDim: config.projectionDim,
                projection: config.textProjection,
                weights: weights, names: names, packWeights: packText, precision: textPrecision)
            result = try measureText(
                text, name: name, ids: ids, weightBytes: weights.allocatedBytes)
            if textPrecision != .float32 {
                let reference = try TextTower(
                    config: config.text, projectionDim: config.projectionDim,
                    projection: config.textProjection, weights: weights, names: names,
                    precision: .float32)
                try compare(text, with: reference, ids: ids)
            }
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
                result.imageMinCosine = compare(vision, with: reference)
            }
        }
        return result
    }

    /// Median latency of one query: start id, random ids, end id.
    private func measureText(_ tower: TextTower, name: String, ids: (Int, Int), weightBytes: Int)
        throws -> Result
    {
        var result = Result(name: name)
        var rng = SystemRandomNumberGenerator()
        let upper = min(tower.config.vocabSize, 7991)
        let middle = (0..<(tokens - 2)).map { _ in
            Int.random(in: min(672, upper - 1)..<upper, using: &rng)
        }
        let query = [ids.0] + middle + [ids.1]
        for _ in 0..<3 { _ = try tower.embed(ids: query) }
        if textProfile { tower.profile = TextProfile() }
        defer { tower.profile = nil }
        var times: [Double] = []
        let cpuStart = BenchClock.processCPUSeconds()
        for _ in 0..<textRuns {
            let start = ContinuousClock.now
            _ = try tower.embed(ids: query)
            times.append(seconds(ContinuousClock.now - start))
        }
        result.textCPUMs = (BenchClock.processCPUSeconds() - cpuStart) / Double(textRuns) * 1000
        result.textMs = Samples(times).median * 1000
        result.textRSS = BenchClock.peakRSSBytes()
        result.textWeightBytes = weightBytes
        if !json {
            output("== \(name)")
            output(
                String(
                    format:
                        "text query (%d tokens): median %.2f ms (min %.2f, %d runs; "
                        + "CPU time %.2f ms per query)",
                    tokens, result.textMs, (times.min() ?? 0) * 1000, textRuns, result.textCPUMs))
            if weightBytes > 0 {
                output(
                    String(
                        format: "text tower weights: %.1f MB; peak RSS after text queries: %.1f MB",
                        mb(weightBytes), mb(result.textRSS)))
            } else {
                output(String(format: "peak RSS after text queries: %.1f MB", mb(result.textRSS)))
            }
            if let profile = tower.profile { printProfile(profile) }
        }
        return result
    }

    /// Milliseconds per query of each text-tower stage.
    private func printProfile(_ profile: TextProfile) {
        let queries = Double(max(profile.queries, 1))
        for (name, seconds) in zip(TextProfile.stageNames, profile.seconds) {
            output(
                "  " + name.padding(toLength: 30, withPad: " ", startingAt: 0)
                    + String(format: " %6.2f ms", seconds / queries * 1000))
        }
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

    /// Prints how far `tower`'s embeddings of 20 random queries of 3 to 40 tokens are from
    /// `reference`'s.
    private func compare(_ tower: TextTower, with reference: TextTower, ids: (Int, Int)) throws {
        var state: UInt64 = 0x5EED
        var cosines: [Float] = [], maxDiff: Float = 0
        let upper = min(tower.config.vocabSize, 7991)
        for query in 0..<20 {
            let length = 3 + query * 37 / 19
            let middle = (0..<(length - 2)).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return 672 + Int(state >> 33) % max(1, upper - 672)
            }
            let tokens = [ids.0] + middle + [ids.1]
            let got = try tower.embed(ids: tokens), want = try reference.embed(ids: tokens)
            cosines.append(zip(got, want).reduce(Float(0)) { $0 + $1.0 * $1.1 })
            maxDiff = max(maxDiff, zip(got, want).map { abs($0 - $1) }.max() ?? 0)
        }
        if !json {
            output(
                String(
                    format:
                        "text %@ vs fp32 embeddings of 20 queries (3-40 tokens): "
                        + "cosine min %.6f, max-abs difference %.2e",
                    tower.precision.rawValue, Double(cosines.min() ?? 0), Double(maxDiff)))
        }
    }

    /// Prints how far `vision`'s embeddings of 8 images are from `reference`'s and returns
    /// the smallest cosine between them.
    private func compare(_ vision: VisionTower, with reference: VisionTower) -> Double {
        let pixels = randomPixels(vision, batch: 8)
        let got = vision.embed(pixels.data, batch: 8), want = reference.embed(pixels.data, batch: 8)
        let cosines = zip(got, want).map { a, b in zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
        let maxDiff =
            zip(got, want).map { a, b in zip(a, b).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
        if !json {
            output(
                String(
                    format:
                        "%@ vs fp32 embeddings of 8 images: "
                        + "cosine min %.6f, max-abs difference %.2e",
                    vision.precision.rawValue, Double(cosines.min() ?? 0), Double(maxDiff)))
        }
        return Double(cosines.min() ?? 0)
    }

    /// `line` (a JSON object) with the reduced-precision image tower's smallest cosine to
    /// float32, when it was measured.
    private func withImageAccuracy(_ line: String, _ r: Result) -> String {
        guard let cosine = r.imageMinCosine, line.hasSuffix("}") else { return line }
        return String(line.dropLast())
            + String(format: ",\"image_min_cosine_to_fp32\":%.6f}", cosine)
    }

    /// Images/s at batch 1 and 8 on fixed pseudo-random pixels.
    private func measureImages(_ vision: VisionTower, into result: inout Result) {
        for batch in [1, 8] {
            let pixels = randomPixels(vision, batch: batch)
            _ = vision.embed(pixels.data, batch: batch)
            if imageProfile { vision.profile = ImageProfile() }
            defer { vision.profile = nil }
            var times: [Double] = []
            let cpuStart = BenchClock.processCPUSeconds()
            for _ in 0..<runs {
                let start = ContinuousClock.now
                _ = vision.embed(pixels.data, batch: batch)
                times.append(seconds(ContinuousClock.now - start))
            }
            let cpuPerImage =
                (BenchClock.processCPUSeconds() - cpuStart) / Double(runs * batch) * 1000
            let perSecond = Double(batch) / Samples(times).median
            result.imagesPerSecond[batch] = perSecond
            result.cpuMsPerImage[batch] = cpuPerImage
            if !json {
                output(
                    String(
                        format:
                            "images batch %d: %.2f images/s (median of %d, %.0f ms per batch; "
                            + "CPU time %.0f ms per image)",
                        batch, perSecond, runs, Samples(times).median * 1000, cpuPerImage))
                if let profile = vision.profile { printProfile(profile) }
            }
        }
    }

    /// Milliseconds per image of each image-tower stage, wall and process CPU time.
    private func printProfile(_ profile: ImageProfile) {
        let images = Double(max(profile.images, 1))
        let total = profile.cpuSeconds.reduce(0, +)
        for (index, name) in ImageProfile.stageNames.enumerated() {
            let cpu = profile.cpuSeconds[index]
            output(
                "  " + name.padding(toLength: 26, withPad: " ", startingAt: 0)
                    + String(
                        format: " %7.2f ms wall, %7.2f ms CPU (%4.1f%%)",
                        profile.seconds[index] / images * 1000, cpu / images * 1000,
                        total > 0 ? cpu / total * 100 : 0))
        }
    }

    private func jsonLine(_ r: Result) -> String {
        let name = r.name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
            of: "\"", with: "\\\"")
        return String(
            format:
                "{\"model\":\"%@\",\"threads\":%d,\"images_per_second_batch1\":%.4f,"
                + "\"images_per_second_batch8\":%.4f,\"cpu_ms_per_image_batch8\":%.1f,"
                + "\"text_query_ms\":%.3f,\"text_cpu_ms\":%.3f,\"text_tokens\":%d,"
                + "\"text_peak_rss_mb\":%.1f,\"text_weights_mb\":%.1f,\"peak_rss_mb\":%.1f}",
            name, threads, r.imagesPerSecond[1] ?? 0, r.imagesPerSecond[8] ?? 0,
            r.cpuMsPerImage[8] ?? 0,
            r.textMs, r.textCPUMs, tokens, mb(r.textRSS), mb(r.textWeightBytes),
            mb(BenchClock.peakRSSBytes()))
    }

    private func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
            .split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
    }

    private func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }

    private func mb(_ bytes: Int) -> Double { Double(bytes) / 1_048_576 }
}
