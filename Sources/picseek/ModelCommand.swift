import ArgumentParser
import Foundation
import ModelHub
import PicseekCore

/// `picseek model list|fetch|import|info`: getting and inspecting CLIP checkpoints.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "List, download, import and inspect models.",
        subcommands: [List.self, Fetch.self, Import.self, Info.self])

    /// Filled by the composition root once the index store is wired: returns the names of the
    /// indexes (or "N photos in INDEX") whose vectors were made with the given model.
    /// nil means this build cannot check, and `model info` says so.
    nonisolated(unsafe) static var indexUsage: ((InstalledModel) throws -> [String])?

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show known and installed models.")

        func run() throws {
            let library = ModelLibrary()
            let installed = library.installedModels()
            let defaultName = (try? library.resolve(explicit: nil))?.name
            var rows: [[String]] = [["", "NAME", "FAMILY", "SIZE", "LICENCE", "INSTALLED", "ON DISK"]]
            var notes: [String] = []
            for entry in ModelRegistry.entries {
                let here = installed.first { $0.name == entry.name && !$0.isBundled }
                rows.append([
                    entry.name == defaultName ? "*" : "", entry.name, entry.family,
                    formatBytes(entry.approximateDownloadBytes), entry.licence,
                    here == nil ? "no" : "yes", here.map { formatBytes($0.sizeOnDisk) } ?? "-",
                ])
                if let why = entry.unsupportedReason { notes.append("\(entry.name): \(why)") }
            }
            for m in installed where ModelRegistry.entry(named: m.name) == nil {
                rows.append([
                    m.name == defaultName ? "*" : "", m.name, m.entry.family, "-", m.entry.licence,
                    m.isBundled ? "bundled" : "imported", formatBytes(m.sizeOnDisk),
                ])
            }
            printTable(rows)
            print("* = the model picseek uses when --model is not given (config: "
                + TerminalSafe.escape(library.configFile) + ")")
            print("models folder: " + TerminalSafe.escape(library.modelsDirectory))
            for n in notes { print("note: " + n) }
        }
    }

    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download a model from the Hugging Face hub (or a mirror), verified and resumable.")

        @Argument(help: "Model name from `picseek model list`.")
        var name: String

        @Option(help: "Hub base URL (default: $PICSEEK_HF_ENDPOINT or https://huggingface.co).")
        var endpoint: String?

        func run() throws {
            let printer = ProgressPrinter()
            if let why = ModelRegistry.entry(named: name)?.unsupportedReason {
                print("note: \(name) \(why); it is downloaded and converted but cannot be used for search yet")
            }
            let endpoint = ModelFetcher.endpoint(explicit: endpoint)
            let fetcher = ModelFetcher(library: ModelLibrary(), endpoint: endpoint) { printer.handle($0) }
            do {
                let folder = try fetcher.fetch(name: name)
                printer.finish()
                print("installed \(TerminalSafe.escape(name)) in \(TerminalSafe.escape(folder))")
            } catch {
                printer.finish()
                throw CLIError(error)
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install a model from a Hugging Face folder, a pytorch_model.bin or an original Chinese-CLIP .pt.")

        @Argument(help: "A folder (model.safetensors or pytorch_model.bin) or a .pt/.bin checkpoint file.")
        var source: String

        @Option(help: "Name of the installed model (default: from the source).")
        var name: String?

        func run() throws {
            do {
                let result = try ModelImporter(library: ModelLibrary()).importModel(from: source, name: name)
                for note in result.notes { print(TerminalSafe.escape(note)) }
                print("installed \(TerminalSafe.escape(result.name)) in \(TerminalSafe.escape(result.path))")
            } catch {
                throw CLIError(error)
            }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe an installed model.")

        @Argument(help: "Installed model name or folder (default: the model picseek would use).")
        var name: String?

        func run() throws {
            do {
                let resolved = try ModelLibrary().resolve(explicit: name)
                let model = ModelLibrary().installed(named: resolved.name).flatMap {
                    $0.path == resolved.folder ? $0 : nil
                } ?? InstalledModel(name: resolved.name, path: resolved.folder, entry: resolved.entry, isBundled: false)
                try describe(model, resolved: resolved)
            } catch {
                throw CLIError(error)
            }
        }

        func describe(_ model: InstalledModel, resolved: ResolvedModel) throws {
            let info = try ModelInfo(model: model)
            let e: (String) -> String = { TerminalSafe.escape($0) }
            print("model: \(e(model.name)) (\(e(model.entry.title)), chosen by \(resolved.reason.rawValue))")
            print("folder: \(e(model.path))")
            print("family: \(e(model.entry.family))   licence: \(e(model.entry.licence))")
            if let why = model.entry.unsupportedReason { print("note: \(why)") }
            if let v = info.config?.vision {
                print("vision tower: ViT, \(n(v.layers)) layers, width \(n(v.width)), \(n(v.heads)) heads, "
                    + "MLP \(n(v.intermediate)), patch \(n(v.patchSize)), image \(n(v.imageSize)), "
                    + "activation \(e(v.activation ?? "?"))")
            }
            if let t = info.config?.text {
                print("text tower: BERT, \(n(t.layers)) layers, width \(n(t.width)), \(n(t.heads)) heads, "
                    + "intermediate \(n(t.intermediate)), vocab \(n(t.vocabSize)), max positions \(n(t.maxPositions))")
            }
            if info.config == nil { print("config.json: none (family \(e(model.entry.family)))") }
            let millions = String(format: "%.1f M", Double(info.parameterCount) / 1e6)
            print("parameters: \(info.parameterCount) (\(millions)) in \(info.weights.tensors.count) tensors")
            print("dtype: " + info.dtypes.keys.sorted().map { "\($0) x\(info.dtypes[$0] ?? 0)" }.joined(separator: ", "))
            print("embedding size: \(info.embeddingDimension.map(String.init) ?? "unknown")")
            print("image preprocessing: \(e(info.preprocessing ?? "no preprocessor_config.json"))")
            print("tokenizer: \(e(info.tokenizer))")
            print("weights file: \(formatBytes(Int64(info.weights.fileSize))), on disk \(formatBytes(model.sizeOnDisk))")
            if let m = info.manifest {
                print("source: \(e(m.source))")
                for f in m.files where f.sha256 != nil {
                    print("  \(e(f.name)) \(f.bytes) bytes sha256 \(e(f.sha256 ?? ""))")
                }
            }
            if let usage = ModelCommand.indexUsage {
                let names = try usage(model)
                print("index: " + (names.isEmpty ? "no index uses this model" : names.map(e).joined(separator: ", ")))
            } else {
                print("index: not checked (this build does not connect model info to the index store)")
            }
        }

        private func n(_ v: Int?) -> String { v.map(String.init) ?? "?" }
    }
}

/// `--model NAME_OR_PATH` for any subcommand that runs a model (`@OptionGroup var model: ModelOption`).
struct ModelOption: ParsableArguments {
    @Option(name: .customLong("model"),
            help: "Installed model name or model folder (default: config.toml's `model`, then the installed default).")
    var nameOrPath: String?

    /// The chosen model; the error explains how to fetch one when none is installed.
    func resolve() throws -> ResolvedModel {
        do {
            return try resolveModel(explicit: nameOrPath)
        } catch {
            throw CLIError(error)
        }
    }
}

/// Prints left-aligned columns.
func printTable(_ rows: [[String]]) {
    guard let columns = rows.map(\.count).max() else { return }
    var widths = [Int](repeating: 0, count: columns)
    for row in rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
    for row in rows {
        let line = row.enumerated().map { i, c in
            i == row.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
        print(TerminalSafe.escape(line))
    }
}

/// Renders fetch progress: a redrawn bar on a terminal, plain lines every 10% otherwise.
final class ProgressPrinter {
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastDecile: [String: Int64] = [:]
    private var barShown = false
    private var start = Date()
    private var startBytes: Int64 = 0

    func handle(_ event: FetchEvent) {
        let e: (String) -> String = { TerminalSafe.escape($0) }
        switch event {
        case .started(let file, let url, let total, let from):
            endBar()
            start = Date()
            startBytes = from
            let size = total.map { formatBytes($0) } ?? "unknown size"
            line(from > 0 ? "resuming \(e(file)) at \(formatBytes(from)) of \(size) from \(e(url))"
                : "downloading \(e(file)) (\(size)) from \(e(url))")
        case .progress(let file, let received, let total):
            if isTerminal {
                drawBar(file: file, received: received, total: total)
            } else if let total, total > 0 {
                let decile = received * 10 / total
                if decile > lastDecile[file, default: -1] {
                    lastDecile[file] = decile
                    line("  \(e(file)): \(decile * 10)% (\(formatBytes(received)) of \(formatBytes(total)))")
                }
            }
        case .retrying(let file, let received, let reason):
            endBar()
            line("  \(e(file)): \(e(reason)) after \(formatBytes(received)); resuming with a range request")
        case .verifying(let file):
            endBar()
            line("  verifying \(e(file)) (sha-256)")
        case .finished(let file, let bytes, let sha, let verified):
            line("  \(e(file)): \(bytes) bytes, sha256 \(sha)" + (verified ? " (matches)" : " (no published hash; size checked)"))
        case .reused(let file):
            line("  \(e(file)): already downloaded, reused")
        case .converting(let file):
            line("  converting \(e(file)) to model.safetensors")
        }
    }

    func finish() { endBar() }

    private func drawBar(file: String, received: Int64, total: Int64?) {
        let seconds = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(received - startBytes) / seconds
        var text = "\r  " + TerminalSafe.escape(file) + " "
        if let total, total > 0 {
            let fraction = min(Double(received) / Double(total), 1)
            text += ProgressBar.render(done: received, total: total, width: 30) + " "
            text += String(format: "%3.0f%% ", fraction * 100) + "\(formatBytes(received))/\(formatBytes(total))"
        } else {
            text += formatBytes(received)
        }
        text += "  " + formatBytes(Int64(rate)) + "/s\u{1B}[K"
        FileHandle.standardError.write(Data(text.utf8))
        barShown = true
    }

    private func endBar() {
        if barShown {
            FileHandle.standardError.write(Data("\n".utf8))
            barShown = false
        }
    }

    private func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
