import ArgumentParser
import CLIP
import Foundation
import PicseekCore
import Tensor

/// `picseek bench engine`: image throughput and text-query latency of the CLIP engine.
///
/// By default builds a full-size Chinese-CLIP ViT-B/16 + RoBERTa-wwm-ext-base with
/// random weights in memory (no file). The text tower is built and measured first,
/// alone, so the peak resident memory printed after it is the text-query footprint.
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Images/s at batch 1 and 8 and text-query latency of the CLIP engine.")

    @Option(name: .long, help: "OpenBLAS threads.")
    var threads = 2

    @Option(name: .long, help: "Timed runs per image batch size (median reported).")
    var runs = 5

    @Option(name: .long, help: "Timed text queries (median reported).")
    var textRuns = 50

    @Option(name: .long, help: "Tokens in the text query, including [CLS] and [SEP].")
    var tokens = 10

    @Option(name: .long, help: "Use a Hugging Face model folder instead of random weights.")
    var model: String?

    @Flag(name: .long, help: "Measure only the text query (skip the image tower).")
    var textOnly = false

    @Flag(name: .long, help: "Print the results as one JSON object.")
    var json = false

    func validate() throws {
        guard threads >= 1, runs >= 1, textRuns >= 1, tokens >= 2 else {
            throw ValidationError("threads, runs and text-runs must be positive; tokens at least 2")
        }
    }

    func run() throws {
        BLAS.threads = threads
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
            .split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
        if !json {
            print("threads: \(BLAS.threads)")
            print("openblas: \(BLAS.configuration)")
            print("load average before: \(load)")
        }

        let config: CLIPConfig
        let textTower: TextTower
        var visionTower: VisionTower?
        var textWeightBytes = 0
        let names = TensorNames(.huggingFaceChineseCLIP)
        if let model {
            let clip: ClipModel
            do {
                clip = try ClipModel(directory: model)
            } catch {
                throw ValidationError("cannot load model \(TerminalSafe.escape(model)): \(TerminalSafe.escape(error.description))")
            }
            config = clip.config
            textTower = clip.text
            visionTower = clip.vision
        } else {
            config = .chineseCLIPViTB16
            let weights = RandomWeights(seed: 1)
            textTower = try TextTower(
                config: config.text, projectionDim: config.projectionDim, weights: weights, names: names)
            textWeightBytes = weights.allocatedBytes
        }

        // Text query: [CLS] + random ids + [SEP].
        var rng = SystemRandomNumberGenerator()
        let ids = [101] + (0..<(tokens - 2)).map { _ in Int.random(in: 672..<7991, using: &rng) } + [102]
        for _ in 0..<3 { _ = try textTower.embed(ids: ids) }
        var textTimes: [Double] = []
        let textCPUStart = cpuSeconds()
        for _ in 0..<textRuns {
            let start = ContinuousClock.now
            _ = try textTower.embed(ids: ids)
            textTimes.append(seconds(ContinuousClock.now - start))
        }
        let textCPUMs = (cpuSeconds() - textCPUStart) / Double(textRuns) * 1000
        let textMs = median(textTimes) * 1000
        let textRSS = peakRSSBytes()
        if !json {
            print(String(format: "text query (%d tokens): median %.2f ms (min %.2f, %d runs; CPU time %.2f ms per query)",
                         tokens, textMs, (textTimes.min() ?? 0) * 1000, textRuns, textCPUMs))
            if textWeightBytes > 0 {
                print(String(format: "text tower weights: %.1f MB; peak RSS after text queries: %.1f MB (weights + %.1f MB)",
                             mb(textWeightBytes), mb(textRSS), mb(textRSS - textWeightBytes)))
            } else {
                print(String(format: "peak RSS after text queries: %.1f MB", mb(textRSS)))
            }
        }

        if textOnly { return }
        if visionTower == nil {
            visionTower = try VisionTower(
                config: config.vision, projectionDim: config.projectionDim,
                weights: RandomWeights(seed: 2), names: names)
        }
        guard let vision = visionTower else { return }
        var results: [Int: Double] = [:]
        for batch in [1, 8] {
            let count = batch * vision.pixelsPerImage
            let pixels = Tensor(shape: [count])
            var state = UInt64(batch) &* 0x9E37_79B9_7F4A_7C15
            for i in 0..<count {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                pixels.data[i] = Float(state >> 40) / Float(1 << 24) * 4 - 2
            }
            _ = vision.embed(pixels.data, batch: batch)
            var times: [Double] = []
            let cpuStart = cpuSeconds()
            for _ in 0..<runs {
                let start = ContinuousClock.now
                _ = vision.embed(pixels.data, batch: batch)
                times.append(seconds(ContinuousClock.now - start))
            }
            let cpuPerImage = (cpuSeconds() - cpuStart) / Double(runs * batch)
            let perSecond = Double(batch) / median(times)
            results[batch] = perSecond
            if !json {
                print(String(format: "images batch %d: %.2f images/s (median of %d, %.0f ms per batch; CPU time %.0f ms per image)",
                             batch, perSecond, runs, median(times) * 1000, cpuPerImage * 1000))
            }
        }
        let peak = peakRSSBytes()
        let loadAfter = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
            .split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
        if json {
            print(String(
                format: "{\"threads\":%d,\"images_per_second_batch1\":%.4f,\"images_per_second_batch8\":%.4f,"
                    + "\"text_query_ms\":%.3f,\"text_tokens\":%d,\"text_peak_rss_mb\":%.1f,"
                    + "\"text_weights_mb\":%.1f,\"peak_rss_mb\":%.1f}",
                threads, results[1] ?? 0, results[8] ?? 0, textMs, tokens, mb(textRSS),
                mb(textWeightBytes), mb(peak)))
        } else {
            print(String(format: "peak RSS: %.1f MB", mb(peak)))
            print("load average after: \(loadAfter)")
        }
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
