import ArgumentParser
import PicseekCore

@main
struct Picseek: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "picseek",
        abstract: "Search your own photos by meaning, in English or Chinese.",
        version: picseekVersion,
        subcommands: [
            ExploreCommand.self, IndexCommand.self, SearchCommand.self, DuplicatesCommand.self,
            StatusCommand.self, ForgetCommand.self, ErrorsCommand.self, DoctorCommand.self,
            WatchCommand.self, DbCommand.self,
            EmbedCommand.self, EvalCommand.self, ModelCommand.self, BenchCommand.self,
        ],
        defaultSubcommand: ExploreCommand.self)
}
