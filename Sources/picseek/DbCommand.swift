import ArgumentParser
import Foundation
import Library
import Store

/// `picseek db`: moving an index between databases.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Move an index between SQLite files and PostgreSQL databases.",
        subcommands: [DbCopyCommand.self])
}

/// `picseek db copy --from A --to B`: copies photos, vectors, thumbnails and words.
struct DbCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an index (photos, vectors, thumbnails, words in photos) into another, "
            + "without embedding again; run it again to resume a copy that stopped.",
        discussion: """
            Either side is an index file or a postgresql:// URL. What the destination already \
            holds is kept; the source is only read.
            """)

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The index to copy: a file or a postgresql:// URL.", valueName: "path-or-url"))
    var from: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The index to copy into (created if needed): a file or a postgresql:// URL.",
            valueName: "path-or-url"))
    var to: String

    func run() throws {
        guard from != to else {
            throw ValidationError("--from and --to name the same index")
        }
        let source = try IndexOpening.open(from, for: .read)
        let destination = try IndexOpening.open(to, for: .write)
        let lock = try destination.lockForWriting()
        defer { lock?.release() }
        let report = try IndexCopy.run(from: source, to: destination) { written in
            StandardStreams.error("\(written) vectors written")
        }
        print(report.line(from: source.path, to: destination.path))
    }
}
