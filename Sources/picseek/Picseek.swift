import ArgumentParser
import PicseekCore

@main
struct Picseek: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "picseek",
        abstract: "Search your own photos by meaning, in English or Chinese.",
        version: picseekVersion,
        // BenchRender belongs under the `bench` group (built on another branch);
        // it is listed here only until that group exists.
        subcommands: [ExploreCommand.self, BenchRender.self],
        defaultSubcommand: ExploreCommand.self)
}
