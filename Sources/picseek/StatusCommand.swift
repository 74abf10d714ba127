import ArgumentParser
import ExplorerRuntime
import Foundation
import Library
import PicseekCore

/// `picseek status`: what the index holds.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract:
            "Show indexed folders, photo and vector counts, models, errors, the last run, and what the terminal draws."
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.openForReading()
        for line in try StatusReport.indexLines(store: store) { print(line) }
        print("themes: " + themeFolders())
        print(StatusReport.engineLine)
        for line in TerminalReport.lines(environment: ProcessInfo.processInfo.environment) {
            print(line)
        }
    }

    /// The theme names the explorer can load and where they are, first found first.
    private func themeFolders() -> String {
        var seen: [String] = []
        var places: [String] = []
        let environment = ProcessInfo.processInfo.environment
        for folder in ThemeLoader.searchFolders(environment: environment) {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            let names = files.filter { $0.hasSuffix(".theme") }.map { String($0.dropLast(6)) }
                .filter { !seen.contains($0) }.sorted()
            guard !names.isEmpty else { continue }
            seen += names
            places.append(
                names.map(TerminalSafe.escape).joined(separator: ", ") + " in "
                    + TerminalSafe.escape(folder))
        }
        return places.isEmpty
            ? "none found (the built-in default is used)" : places.joined(separator: "; ")
    }
}
