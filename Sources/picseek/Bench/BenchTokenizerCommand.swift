import ArgumentParser
import Benchmarks
import PicseekCore

/// `picseek bench tokenizer`: load and query times of a SentencePiece Unigram `tokenizer.json`.
struct BenchTokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Time loading a Unigram tokenizer.json and tokenizing short queries.")

    @Argument(help: "A Hugging Face tokenizer.json (e.g. XLM-RoBERTa's, 250k pieces).")
    var tokenizerJSON: String

    @Option(name: .long, help: "Timed loads (median reported).")
    var loads = 5

    func run() throws {
        print(TerminalSafe.escape(TokenizerBench.run(tokenizerJSON: tokenizerJSON, loads: loads)))
    }
}
