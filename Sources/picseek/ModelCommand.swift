import ArgumentParser
import ModelHub
import PicseekCore

/// `picseek model list|fetch|import|info`: getting and inspecting CLIP checkpoints.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "List, download, import and inspect models.",
        subcommands: [ListCommand.self, FetchCommand.self, ImportCommand.self, InfoCommand.self])

    struct ListCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Show known and installed models.")

        func run() throws {
            for line in ModelReport.listLines(library: ModelLibrary()) { print(line) }
        }
    }

    struct FetchCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract:
                "Download a model from the Hugging Face hub (or a mirror), verified and resumable.")

        @Argument(help: "Model name from `picseek model list`.")
        var name: String

        @Option(help: "Hub base URL (default: $PICSEEK_HF_ENDPOINT or https://huggingface.co).")
        var endpoint: String?

        func run() throws {
            let printer = FetchProgressPrinter()
            if let note = ModelReport.fetchNote(name: name, entry: ModelRegistry.entry(named: name))
            {
                print(note)
            }
            let endpoint = ModelFetcher.endpoint(explicit: endpoint)
            let fetcher = ModelFetcher(library: ModelLibrary(), endpoint: endpoint) {
                printer.handle($0)
            }
            do {
                let folder = try fetcher.fetch(name: name)
                printer.finish()
                print(ModelReport.installedLine(name: name, folder: folder))
            } catch {
                printer.finish()
                throw CLIError(error)
            }
        }
    }

    struct ImportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract:
                "Install a model from a Hugging Face folder, a pytorch_model.bin or an original Chinese-CLIP .pt."
        )

        @Argument(
            help: "A folder (model.safetensors or pytorch_model.bin) or a .pt/.bin checkpoint file."
        )
        var source: String

        @Option(help: "Name of the installed model (default: from the source).")
        var name: String?

        func run() throws {
            let result = try CLIError.wrapping {
                try ModelImporter(library: ModelLibrary()).importModel(from: source, name: name)
            }
            for note in result.notes { print(TerminalSafe.escape(note)) }
            print(ModelReport.installedLine(name: result.name, folder: result.path))
        }
    }

    struct InfoCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "info", abstract: "Describe an installed model.")

        @Argument(help: "Installed model name or folder (default: the model picseek would use).")
        var name: String?

        func run() throws {
            let lines = try CLIError.wrapping {
                let resolved = try ModelLibrary().resolve(explicit: name)
                let model = ModelLibrary().model(for: resolved)
                return try ModelReport.infoLines(model: model, resolved: resolved)
            }
            for line in lines { print(line) }
        }
    }
}
