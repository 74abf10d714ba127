import ArgumentParser
import PicseekCore

@main
struct Picseek: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "picseek",
        abstract: "Search your own photos by meaning, in English or Chinese.",
        version: picseekVersion,
        subcommands: [EmbedCommand.self, BenchCommand.self])
}
