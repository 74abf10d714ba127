import ArgumentParser

/// `picseek bench`: speed measurements that print medians (never unit tests).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure speed: prints medians of repeated runs.",
        subcommands: [BenchSearch.self])
}
