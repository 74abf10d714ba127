import ArgumentParser
import ExplorerRuntime
import Foundation
import Imaging
import Library
import ModelHub
import PicseekCore
import Store

/// `picseek doctor [--repair]`: checks the index, its thumbnails, the installed models and
/// the terminal, and with `--repair` rebuilds what can be rebuilt.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract:
            "Check the index, thumbnails, installed models and terminal; --repair fixes what "
            + "it can.",
        discussion: """
            Checks the index (readable, integrity, schema version, vectors without a photo, \
            models whose weights are not installed, photos whose files are gone), the thumbnail \
            database (readable, previews no photo uses, photos without a preview), the \
            installed models (files present, sizes as recorded; SHA-256 with --hashes) and the \
            terminal (TERM, COLORTERM, NO_COLOR, TMUX, colours). Exits 1 when it finds a problem.

            --repair moves an unreadable index or thumbnail database aside \
            (index.sqlite.corrupt-DATE, nothing is deleted) and starts a new one, deletes \
            vectors without a photo and previews no photo uses, and makes the missing previews \
            again from the photos. Vectors are read from the index at each search: there is no \
            other vector cache to rebuild. Rows of photos whose files are gone are left to the \
            next picseek index, which removes them.
            """)

    @Flag(help: "Repair what can be repaired (never deletes a file).")
    var repair = false

    @Flag(help: "Also check the SHA-256 of model files recorded at download (reads every byte).")
    var hashes = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        var problems = 0
        let path = try database.path()
        let library = ModelLibrary()
        let pipeline = ImagePipeline()
        let doctor = IndexDoctor(
            path: path, repair: repair,
            makeThumbnail: { try pipeline.thumbnail(data: $0).0 },
            encodeThumbnail: JPEG.thumbnailEncoder
        ) { library.installed(named: $0) != nil }
        if IndexOpening.isPostgres(path) {
            // The checks and repairs are of SQLite files; PostgreSQL keeps its own data sound.
            print(
                "index: \(TerminalSafe.escape(PostgresURL.redacted(path))) is a PostgreSQL "
                    + "database: picseek doctor checks SQLite indexes only (picseek status "
                    + "shows what it holds)")
        } else {
            problems += try doctor.run { print($0) }
        }
        let models = ModelReport.check(library: library, hashes: hashes)
        for line in models.lines { print(line) }
        problems += models.problems
        for line in TerminalReport.lines(environment: ProcessInfo.processInfo.environment) {
            print(line)
        }
        print(IndexDoctor.summaryLine(problems: problems, repair: repair))
        if problems > 0 && !repair { throw ExitCode(1) }
    }
}
