import Foundation
import Tokenizers

/// `picseek bench tokenizer`: load and query times of a SentencePiece Unigram `tokenizer.json`.
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
            let cpuStart = BenchClock.threadCPUNanoseconds()
            do {
                tokenizer = try UnigramTokenizer(tokenizerJSON: tokenizerJSON)
            } catch {
                return "tokenizer bench: \(error)"
            }
            loadTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            loadCPUTimes.append(Double(BenchClock.threadCPUNanoseconds() - cpuStart) / 1e6)
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
            tokenizer.vocabularySize, Samples(loadTimes).median, Samples(loadCPUTimes).median,
            loadTimes.count, Samples(queryTimes).median, queryTimes.count, checksum)
    }
}
