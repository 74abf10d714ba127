import ArgumentParser
import ExplorerRuntime
import Foundation
import Library

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
        let environment = ProcessInfo.processInfo.environment
        for line in try StatusReport.indexLines(store: store) { print(line) }
        print("themes: " + ThemeLoader.installedSummary(environment: environment))
        print(StatusReport.engineLine)
        for line in TerminalReport.lines(environment: environment) { print(line) }
    }
}
