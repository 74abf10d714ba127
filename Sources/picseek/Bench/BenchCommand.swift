import ArgumentParser
import Benchmarks

/// `picseek bench`: the group of benchmarks; each prints medians of repeated runs.
///
/// Each benchmark is a subcommand in its own file (`bench engine` lives in
/// `BenchEngineCommand.swift`) that parses its options and runs the measurement from the
/// `Benchmarks` module; add siblings to `subcommands`.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run a benchmark and print medians.",
        subcommands: [
            BenchEngineCommand.self, BenchImagesCommand.self, BenchSearchCommand.self,
            BenchRenderCommand.self,
            BenchTokenizerCommand.self, BenchOCRCommand.self,
        ])

    /// Runs `body`, reporting a `BenchError` about the options (a file to write, a model
    /// folder) as a usage error and any other as a plain one, as ArgumentParser prints them.
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as BenchError where error.isUsage {
            throw ValidationError(error.description)
        }
    }
}
