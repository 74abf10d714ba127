import Foundation
import Testing

/// A staged install (`make install DESTDIR=...`), named by `PICSEEK_INSTALLED_PREFIX`.
enum InstalledTree {
    /// The staged prefix (DESTDIR + PREFIX), when the tests should run.
    static var prefix: String? {
        ProcessInfo.processInfo.environment["PICSEEK_INSTALLED_PREFIX"].flatMap {
            $0.isEmpty ? nil : $0
        }
    }

    static var binary: String { (prefix ?? "") + "/bin/picseek" }

    /// The repository (for sample photos).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Runs `arguments` (the program first) with exactly `environment`.
    static func run(
        _ arguments: [String], environment: [String: String]
    ) throws -> (status: Int32, output: String, errors: String) {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("picseek-install-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return (
            process.terminationStatus,
            (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        )
    }

    /// A temporary home folder, removed by the caller.
    static func makeHome() throws -> String {
        let home = FileManager.default.temporaryDirectory
            .appendingPathComponent("picseek-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        return home
    }

    /// The long options (`--name`) a help text mentions.
    static func options(in help: String) -> Set<String> {
        var found: Set<String> = []
        for word in help.split(whereSeparator: { " \n,()[]<>'\".:;=".contains($0) }) {
            guard word.hasPrefix("--"), word.count > 2,
                word.dropFirst(2).allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" })
            else { continue }
            found.insert(String(word))
        }
        return found
    }

    /// The subcommands `picseek --help` lists.
    static func subcommands() throws -> [String] {
        let help = try run([binary, "--help"], environment: [:]).output
        guard let start = help.range(of: "SUBCOMMANDS:") else { return [] }
        // Entries start two spaces in (continuation lines further); a blank line ends the list.
        let lines = help[start.upperBound...]
            .split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
        let entries = lines.prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return entries.compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("   "),
                let word = line.split(separator: " ").first
            else { return nil }
            return String(word)
        }
    }
}

@Suite(
    "installed tree", .serialized,
    .enabled(if: InstalledTree.prefix != nil, "set PICSEEK_INSTALLED_PREFIX (make test-install)"))
struct InstallTests {
    @Test("the installed binary's shared libraries all come from the system folders")
    func linksOnlySystemLibraries() throws {
        let result = try InstalledTree.run(
            ["/usr/bin/ldd", InstalledTree.binary], environment: [:])
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.count >= 5, "\(result.output)")
        for line in lines {
            #expect(!line.contains("not found"), "\(line)")
            #expect(
                !line.lowercased().contains("swift") && !line.contains("Foundation")
                    && !line.contains("libdispatch") && !line.contains(".build"), "\(line)")
            if let arrow = line.range(of: "=> ") {
                let path =
                    line[arrow.upperBound...].split(separator: " ").first
                    .map(String.init) ?? ""
                #expect(path.hasPrefix("/lib/") || path.hasPrefix("/usr/lib/"), "\(line)")
            }
        }
    }

    @Test("with only HOME set, the installed binary indexes and searches with its demo model")
    func runsWithEmptyEnvironment() throws {
        let home = try InstalledTree.makeHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = ["HOME": home]
        let binary = InstalledTree.binary
        let prefix = InstalledTree.prefix ?? ""
        let list = try InstalledTree.run([binary, "model", "list"], environment: environment)
        #expect(list.status == 0, "\(list.errors)")
        #expect(list.output.contains("picseek-demo"), "\(list.output)")
        let info = try InstalledTree.run(
            [InstalledTree.binary, "model", "info", "picseek-demo"], environment: environment)
        #expect(info.status == 0, "\(info.errors)")
        #expect(
            info.output.contains("folder: \(prefix)/share/picseek/models/picseek-demo\n"),
            "\(info.output)")

        let photos = home + "/photos"
        try FileManager.default.createDirectory(atPath: photos, withIntermediateDirectories: true)
        let gallery = InstalledTree.repository + "/sample-gallery"
        let names = try FileManager.default.contentsOfDirectory(atPath: gallery)
            .filter { $0.hasPrefix("scene-") }.sorted().prefix(4)
        try #require(names.count == 4)
        for name in names {
            try FileManager.default.copyItem(
                atPath: gallery + "/" + name, toPath: photos + "/" + name)
        }
        let index = try InstalledTree.run([binary, "index", photos], environment: environment)
        #expect(index.status == 0, "\(index.errors)")
        #expect(index.output.contains("4 photos found, 4 added"), "\(index.output)")
        #expect(FileManager.default.fileExists(atPath: home + "/.local/share/picseek/index.sqlite"))
        // English, and Chinese (the WordPiece vocabulary installed beside the model).
        for query in ["a house in the snow", "夜晚的房子"] {
            let search = try InstalledTree.run(
                [InstalledTree.binary, "search", "--top", "2", query], environment: environment)
            #expect(search.status == 0, "\(query): \(search.errors)")
            #expect(search.output.split(separator: "\n").count == 2, "\(query): \(search.output)")
        }
        let status = try InstalledTree.run([binary, "status"], environment: environment)
        #expect(status.status == 0, "\(status.errors)")
        let themes = "themes: default, light, mono in \(prefix)/share/picseek/themes"
        #expect(status.output.contains(themes), "\(status.output)")
    }

    @Test("man -l renders the installed page, with every subcommand and its options")
    func manPage() throws {
        let page = try #require(InstalledTree.prefix) + "/share/man/man1/picseek.1"
        #expect(FileManager.default.fileExists(atPath: page))
        let man = try InstalledTree.run(
            ["/usr/bin/man", "-l", page],
            environment: [
                "HOME": NSTemporaryDirectory(), "MANWIDTH": "100", "PATH": "/usr/bin:/bin",
            ])
        #expect(man.status == 0, "\(man.errors)")
        #expect(man.errors.isEmpty, "warnings while rendering: \(man.errors)")
        #expect(man.output.contains("PICSEEK(1)"))
        let subcommands = try InstalledTree.subcommands()
        #expect(subcommands.contains("watch") && subcommands.contains("index"), "\(subcommands)")
        let lines = man.output.split(separator: "\n").map(String.init)
        for name in subcommands {
            // A subcommand heads its own entry: its name alone, or before its abstract.
            #expect(
                lines.contains { $0 == "     \(name)" || $0.hasPrefix("     \(name) ") },
                "\(name) missing from the man page")
            // Every option its help lists is on the page (a stale page misses new ones).
            let help = try InstalledTree.run(
                [InstalledTree.binary, name, "--help"], environment: [:]
            ).output
            for option in InstalledTree.options(in: help) {
                #expect(man.output.contains(option), "\(name) \(option) missing from the man page")
            }
        }
    }

    @Test("the bash completion loads and completes subcommands; zsh and fish scripts are in place")
    func completions() throws {
        let prefix = try #require(InstalledTree.prefix)
        let bash = prefix + "/share/bash-completion/completions/picseek"
        let script = """
            source "$1" || exit 3
            complete -p picseek || exit 4
            COMP_WORDS=(picseek wat); COMP_CWORD=1; COMP_LINE="picseek wat"; COMP_POINT=11
            _picseek picseek wat picseek
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try InstalledTree.run(
            ["/bin/bash", "--norc", "--noprofile", "-c", script, "bash", bash],
            environment: ["HOME": NSTemporaryDirectory(), "PATH": prefix + "/bin:/usr/bin:/bin"])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.split(separator: "\n").contains("watch"), "\(result.output)")
        let others = [
            "/share/zsh/site-functions/_picseek", "/share/fish/vendor_completions.d/picseek.fish",
        ]
        for path in others {
            let text = (try? String(contentsOfFile: prefix + path, encoding: .utf8)) ?? ""
            #expect(text.contains("watch"), "\(path) missing or without subcommands")
        }
    }
}
