import ArgumentParser
import PicseekCore

@main
struct Picseek: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "picseek",
        abstract: "Search your own photos by meaning, in English or Chinese.",
        version: picseekVersion,
        subcommands: [
            ExploreCommand.self, Index.self, Search.self, Duplicates.self, Status.self, Forget.self,
            Errors.self, Doctor.self, Watch.self,
            EmbedCommand.self, EvalCommand.self, ModelCommand.self, BenchCommand.self,
        ],
        defaultSubcommand: ExploreCommand.self)
}
