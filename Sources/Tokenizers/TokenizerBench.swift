import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Timing of the Unigram tokenizer for the integrator's `picseek bench` (not a test).
public enum TokenizerBench {
    /// Queries of photo-search length in several scripts.
    static let queries = [
        "a photo of a cat sleeping on the sofa", "sunset over the ocean", "海边的日落", "一只猫在沙发上睡觉",
        "東京タワーの夜景", "서울의 밤 풍경", "Ｆｕｌｌ－ｗｉｄｔｈ ＡＢＣ １２３", "crème brûlée au café",
        "my friends at the beach 🏖️👨‍👩‍👧", "children playing football in the park, autumn 2024",
    ]

    /// Loads `tokenizerJSON` several times and encodes the built-in queries; returns a report
    /// with the median load time (ms) and the median time per query (µs), or the load error.
    public static func run(tokenizerJSON: String, loads: Int = 5, rounds: Int = 200) -> String {
        var loadTimes: [Double] = []
        var loadCPUTimes: [Double] = []
        var tokenizer: UnigramTokenizer?
        for _ in 0..<max(1, loads) {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = threadCPUNanoseconds()
            do {
                tokenizer = try UnigramTokenizer(tokenizerJSON: tokenizerJSON)
            } catch {
                return "tokenizer bench: \(error)"
            }
            loadTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            loadCPUTimes.append(Double(threadCPUNanoseconds() - cpuStart) / 1e6)
        }
        guard let tokenizer else { return "tokenizer bench: no tokenizer loaded" }
        var queryTimes: [Double] = []
        var checksum = 0
        for _ in 0..<max(1, rounds) {
            for query in queries {
                let start = DispatchTime.now().uptimeNanoseconds
                let ids = tokenizer.encode(query)
                queryTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
                checksum &+= ids.count
            }
        }
        return String(
            format:
                "unigram tokenizer: %d pieces, load median %.1f ms (thread CPU %.1f ms, %d loads), "
                + "query median %.1f µs (%d encodes, %d ids)",
            tokenizer.vocabularySize, median(loadTimes), median(loadCPUTimes), loadTimes.count,
            median(queryTimes),
            queryTimes.count, checksum)
    }

    /// CPU time of the calling thread, to tell work from waiting on a busy machine.
    static func threadCPUNanoseconds() -> UInt64 {
        var spec = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec) == 0 else { return 0 }
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}
