import ArgumentParser

/// `picseek bench`: the group of benchmarks; each prints medians of repeated runs.
///
/// Each benchmark is a subcommand in its own file (`bench engine` lives in
/// `BenchEngineCommand.swift`); add siblings to `subcommands`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print medians.",
        subcommands: [
            BenchEngineCommand.self, BenchImages.self, BenchSearch.self, BenchRender.self,
            BenchTokenizer.self, BenchOCR.self,
        ])
}
