import Foundation
import Imaging
import PicseekCore
import Store
import Tensor
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real binary over a real index: `picseek index`, `picseek search` and
/// `picseek explore` in tmux, with the small random-weight CLIP model the CLIP
/// tests use. Random weights make rankings meaningless, so the tests check
/// structure (scores, file names of the gallery), never which photo wins.
@Suite("picseek over a real index", .serialized)
struct IndexedExploreTests {
    /// Fixture model folders (committed beside the CLIP tests).
    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CLIPTests/Fixtures")
    static let tinyModel = fixtures.appendingPathComponent("tiny224").path
    static let otherModel = fixtures.appendingPathComponent("odd70").path

    /// Colour names of the generated gallery, one photo each.
    static let colours: [(String, [UInt8])] = [
        ("red", [220, 30, 30]), ("green", [30, 200, 40]), ("blue", [30, 40, 220]),
        ("yellow", [240, 220, 20]), ("cyan", [20, 220, 230]), ("magenta", [210, 30, 200]),
        ("white", [250, 250, 250]), ("black", [5, 5, 5]), ("orange", [250, 140, 10]),
        ("grey", [128, 128, 128]), ("stripes", []), ("checks", []),
    ]

    /// A temporary home with a gallery of 12 generated JPEGs; removed at the end.
    final class Sandbox {
        let root: String
        var gallery: String { root + "/gallery" }
        var database: String { root + "/index.sqlite" }

        init() throws {
            let template = NSTemporaryDirectory() + "picseek-e2e-XXXXXX"
            var bytes = Array(template.utf8CString)
            guard mkdtemp(&bytes) != nil else { throw SandboxError.mkdtemp(errno) }
            root = String(cString: bytes)
            try FileManager.default.createDirectory(
                atPath: gallery, withIntermediateDirectories: true)
            for (index, (name, colour)) in IndexedExploreTests.colours.enumerated() {
                let image = Self.image(
                    width: 96 + index * 4, height: 72, colour: colour, pattern: name)
                let jpeg = try JPEG.encode(image, quality: 90)
                try Data(jpeg).write(to: URL(fileURLWithPath: gallery + "/\(name).jpg"))
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }

        /// A solid colour, or stripes / checks when `colour` is empty.
        static func image(width: Int, height: Int, colour: [UInt8], pattern: String) -> RGBImage {
            var pixels: [UInt8] = []
            pixels.reserveCapacity(width * height * 3)
            for y in 0..<height {
                for x in 0..<width {
                    if !colour.isEmpty {
                        pixels += colour
                    } else if pattern == "stripes" {
                        pixels += (x / 8) % 2 == 0 ? [255, 255, 255] : [0, 0, 160]
                    } else {
                        pixels += ((x / 12) + (y / 12)) % 2 == 0 ? [240, 240, 240] : [20, 120, 20]
                    }
                }
            }
            return RGBImage(width: width, height: height, pixels: pixels)
        }

        /// The environment for the binary: this sandbox as home, so no user
        /// config or installed model is used.
        var environment: [String: String] {
            [
                "HOME": root, "XDG_DATA_HOME": root + "/data", "XDG_CONFIG_HOME": root + "/config",
                "PICSEEK_DB": database, "TERM": "xterm-256color", "LANG": "C.UTF-8",
            ]
        }
    }

    /// Why the test sandbox could not be set up.
    enum SandboxError: Error { case mkdtemp(Int32), noBinary, cannotCreate(String) }

    /// Runs the binary to completion with the sandbox environment.
    static func run(_ arguments: [String], in sandbox: Sandbox) throws -> (
        status: Int32, output: String, errors: String
    ) {
        guard let binary = BinaryTests.binary else { throw SandboxError.noBinary }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in sandbox.environment { environment[key] = value }
        process.environment = environment
        let out = Pipe()
        // Standard error goes to a file, so neither pipe can fill up and block.
        let errorPath = sandbox.root + "/stderr-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: errorPath, contents: nil) else {
            throw SandboxError.cannotCreate(errorPath)
        }
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? err.close()
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), errors)
    }

    /// How many "0.NN"-style scores (a digit, a point, two digits) `screen` shows.
    static func scoreCount(_ screen: String) -> Int {
        let chars = Array(screen)
        var count = 0
        for i in 0..<max(0, chars.count - 3)
        where (chars[i] == "0" || chars[i] == "1") && chars[i + 1] == "."
            && chars[i + 2].isNumber && chars[i + 3].isNumber
            && (i == 0 || !chars[i - 1].isNumber)
        {
            count += 1
        }
        return count
    }

    /// Indexes the sandbox gallery with `model`.
    static func index(_ sandbox: Sandbox, model: String = tinyModel, expecting photos: Int = 12)
        throws
    {
        let result = try run(
            ["index", "--db", sandbox.database, "--model", model, sandbox.gallery], in: sandbox)
        #expect(result.status == 0, "index failed: \(result.errors)")
        #expect(result.output.contains("\(photos) photos found"), "index said: \(result.output)")
    }

    /// Sends keys one at a time with a pause, so Escape followed by a letter
    /// is not read as Alt plus that letter.
    static func press(_ session: TmuxSession, _ keys: String...) throws {
        for key in keys {
            try session.send(keys: [key])
            Thread.sleep(forTimeInterval: 0.6)
        }
    }

    @Test("SIGTERM and SIGHUP end the explorer with 143 and 129, the terminal restored")
    func exploreSignals() throws {
        guard let binary = Self.ready() else { return }
        let sandbox = try Sandbox()
        try Self.index(sandbox)
        for (signal, status) in [(SIGTERM, 143), (SIGHUP, 129)] {
            let session = try TmuxSession(
                command: [
                    "sh", "-c",
                    "\"$0\" explore --db \"$1\" --model \"$2\" --graphics ascii; echo \"exit=$?\"; stty -a",
                    binary, sandbox.database, Self.tinyModel,
                ],
                rows: 30, columns: 100, environment: sandbox.environment)
            defer { session.kill() }
            var (found, screen) = try session.waitFor("12 photos", seconds: 60)
            #expect(found, "screen was:\n\(screen)")
            let pids = try Self.pids(matching: "explore --db \(sandbox.database)")
            #expect(pids.count == 1, "explorer processes: \(pids)")
            for pid in pids { kill(pid, signal) }
            (found, screen) = try session.waitFor("exit=\(status)", history: true, seconds: 30)
            #expect(found, "screen was:\n\(screen)")
            // The terminal is back in line mode with echo (stty prints "-icanon" when not).
            (found, screen) = try session.waitFor("icanon", history: true, seconds: 30)
            #expect(found, "screen was:\n\(screen)")
            #expect(
                screen.contains(" icanon ") && screen.contains(" echo "), "screen was:\n\(screen)")
        }
    }

    /// Process ids whose command line contains `text` (through `pgrep -f`).
    static func pids(matching text: String) throws -> [pid_t] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        process.arguments = ["-f", text]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { pid_t($0) }
    }

    static func ready() -> String? {
        guard TmuxSession.isAvailable else {
            Issue.record("tmux is not installed (scripts/install-deps installs it)")
            return nil
        }
        guard let binary = BinaryTests.binary else {
            Issue.record("picseek binary not found next to the test bundle")
            return nil
        }
        return binary
    }

    @Test("index then search --json prints one object per photo with score and a gallery path")
    func searchJSON() throws {
        let sandbox = try Sandbox()
        try Self.index(sandbox)
        let result = try Self.run(
            [
                "search", "--db", sandbox.database, "--model", Self.tinyModel, "--json", "--top",
                "5",
                "a red photo",
            ], in: sandbox)
        #expect(result.status == 0, "search failed: \(result.errors)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 5, "output: \(result.output)")
        let names = Set(Self.colours.map { "\($0.0).jpg" })
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let score = object?["score"] as? Double
            let path = object?["path"] as? String ?? ""
            #expect(score.map { $0 >= -1 && $0 <= 1 } == true, "line: \(line)")
            #expect(
                path.hasPrefix("/") && names.contains((path as NSString).lastPathComponent),
                "line: \(line)")
        }
    }

    /// `search --json` results in `database` as (file name, score) pairs, best first.
    static func searchResults(_ sandbox: Sandbox, database: String, _ query: String) throws -> [(
        String, Double
    )] {
        let result = try run(
            ["search", "--db", database, "--model", tinyModel, "--json", "--top", "12", query],
            in: sandbox)
        #expect(result.status == 0, "search failed: \(result.errors)")
        return try result.output.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let path = object?["path"] as? String ?? ""
            return ((path as NSString).lastPathComponent, object?["score"] as? Double ?? .nan)
        }
    }

    @Test(
        "index --image-precision bf16 ranks as fp32 does; a bad image_precision in config.toml is named"
    )
    func bf16Indexing() throws {
        let sandbox = try Sandbox()
        let config = sandbox.root + "/config/picseek"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try Data("image_precision = \"half\"\n".utf8).write(
            to: URL(fileURLWithPath: config + "/config.toml"))
        let refused = try Self.run(
            ["index", "--db", sandbox.database, "--model", Self.tinyModel, sandbox.gallery],
            in: sandbox)
        #expect(refused.status != 0)
        #expect(
            refused.errors.contains(
                "config.toml: image_precision: expected \"fp32\", \"bf16\" or \"int8\", "
                    + "found half"),
            "stderr: \(refused.errors)")
        try FileManager.default.removeItem(atPath: config + "/config.toml")

        try Self.index(sandbox)
        let bf16Database = sandbox.root + "/bf16.sqlite"
        let bf16Run = try Self.run(
            [
                "index", "--db", bf16Database, "--model", Self.tinyModel, "--image-precision",
                "bf16",
                sandbox.gallery,
            ], in: sandbox)
        guard Kernels.bf16Supported else {
            #expect(
                bf16Run.status != 0 && bf16Run.errors.contains("AVX512_BF16"),
                "stderr: \(bf16Run.errors)")
            return
        }
        #expect(bf16Run.status == 0, "index failed: \(bf16Run.errors)")
        // The stored vectors: bf16 ones differ from float32 ones, slightly (about 2e-3 here;
        // float32 run with bf16's threading differs by only about 2e-7).
        let (fp32Store, bf16Store) = (
            try IndexStore.open(path: sandbox.database), try IndexStore.open(path: bf16Database)
        )
        var largest: Float = 0
        for photo in try fp32Store.allPhotos() {
            let model = try #require(try fp32Store.models().first),
                other = try #require(try bf16Store.models().first)
            let x = try #require(try fp32Store.vector(photoID: photo.id, model: model))
            let twin = try #require(try bf16Store.photo(path: photo.path))
            let y = try #require(try bf16Store.vector(photoID: twin.id, model: other))
            largest = max(largest, zip(x, y).map { abs($0 - $1) }.max() ?? 0)
        }
        #expect(largest > 1e-4 && largest < 1e-2, "largest difference \(largest)")
        for query in ["a red photo", "stripes", "绿色"] {
            let want = try Self.searchResults(sandbox, database: sandbox.database, query)
            let got = try Self.searchResults(sandbox, database: bf16Database, query)
            #expect(got.count == 12)
            #expect(got.map(\.0) == want.map(\.0), "ranking of \(query) changed: \(got) vs \(want)")
            // Scores are printed to 3 decimals.
            for (g, w) in zip(got, want) {
                #expect(abs(g.1 - w.1) <= 5e-3, "\(query): \(g) vs \(w)")
            }
        }
    }

    @Test(
        "index --image-precision int8 finds the same first photo as fp32, with scores near fp32's")
    func int8Indexing() throws {
        let sandbox = try Sandbox()
        try Self.index(sandbox)
        let int8Database = sandbox.root + "/int8.sqlite"
        let int8Run = try Self.run(
            [
                "index", "--db", int8Database, "--model", Self.tinyModel, "--image-precision",
                "int8", sandbox.gallery,
            ], in: sandbox)
        guard Kernels.int8Supported else {
            #expect(
                int8Run.status != 0 && int8Run.errors.contains("AVX-512 VNNI"),
                "stderr: \(int8Run.errors)")
            return
        }
        #expect(int8Run.status == 0, "index failed: \(int8Run.errors)")
        for query in ["a red photo", "stripes", "绿色"] {
            let want = try Self.searchResults(sandbox, database: sandbox.database, query)
            let got = try Self.searchResults(sandbox, database: int8Database, query)
            #expect(got.count == 12)
            #expect(got.first?.0 == want.first?.0, "\(query): \(got) vs \(want)")
            let wanted = Dictionary(want, uniquingKeysWith: { a, _ in a })
            for (path, score) in got {
                let reference = try #require(wanted[path], "\(query): \(path) missing from fp32")
                #expect(
                    abs(score - reference) <= 1e-2, "\(query) \(path): \(score) vs \(reference)")
            }
        }
    }

    @Test("duplicates lists a copied photo and its original as one group")
    func duplicates() throws {
        let sandbox = try Sandbox()
        try FileManager.default.copyItem(
            atPath: sandbox.gallery + "/red.jpg", toPath: sandbox.gallery + "/red copy.jpg")
        let indexed = try Self.run(
            ["index", "--db", sandbox.database, "--model", Self.tinyModel, sandbox.gallery],
            in: sandbox)
        #expect(indexed.status == 0, "index failed: \(indexed.errors)")
        let result = try Self.run(
            [
                "duplicates", "--db", sandbox.database, "--model", Self.tinyModel, "--threshold",
                "0.9999",
            ], in: sandbox)
        #expect(result.status == 0, "duplicates failed: \(result.errors)")
        #expect(
            result.output
                == "2 photos:\n  \(sandbox.gallery)/red copy.jpg\n  \(sandbox.gallery)/red.jpg\n"
                || result.output
                    == "2 photos:\n  \(sandbox.gallery)/red.jpg\n  \(sandbox.gallery)/red copy.jpg\n",
            "output: \(result.output)")
        #expect(
            result.errors.contains("1 group, 2 photos, among 13 compared"),
            "stderr: \(result.errors)")
        let json = try Self.run(
            [
                "duplicates", "--db", sandbox.database, "--model", Self.tinyModel, "--threshold",
                "0.9999", "--json",
            ],
            in: sandbox)
        let object =
            try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect((object?["photos"] as? [[String: Any]])?.count == 2, "output: \(json.output)")
        let refused = try Self.run(
            ["duplicates", "--db", sandbox.database, "--threshold", "1.5"], in: sandbox)
        #expect(refused.status != 0 && refused.errors.contains("--threshold"))
    }

    @Test(
        "index and search --in refuse a photo given as a folder, naming its folder, and register nothing"
    )
    func fileAsFolder() throws {
        let sandbox = try Sandbox()
        let photo = sandbox.gallery + "/red.jpg"
        let result = try Self.run(
            ["index", "--db", sandbox.database, "--model", Self.tinyModel, photo], in: sandbox)
        #expect(result.status != 0)
        #expect(
            result.errors.contains(
                "is a file, not a folder; give its folder (\(sandbox.gallery)) instead"),
            "stderr: \(result.errors)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.database))
        try Self.index(sandbox)
        let search = try Self.run(
            ["search", "--db", sandbox.database, "--model", Self.tinyModel, "--in", photo, "red"],
            in: sandbox)
        #expect(
            search.status != 0 && search.errors.contains("is a file, not a folder"),
            "stderr: \(search.errors)")
    }

    @Test("an empty or blank query is refused with the same plain message")
    func emptyQuery() throws {
        let sandbox = try Sandbox()
        try Self.index(sandbox)
        for query in ["", "   ", "+"] {
            let result = try Self.run(
                ["search", "--db", sandbox.database, "--model", Self.tinyModel, "--", query],
                in: sandbox)
            #expect(result.status != 0)
            #expect(result.errors.contains("empty query"), "query [\(query)]: \(result.errors)")
            #expect(result.output.isEmpty)
        }
    }

    @Test(
        "explore searches, toggles the language, shows details, reindexes and restores the terminal"
    )
    func exploreSession() throws {
        guard let binary = Self.ready() else { return }
        let sandbox = try Sandbox()
        try Self.index(sandbox)
        let session = try TmuxSession(
            command: [
                "sh", "-c",
                "\"$0\" explore --db \"$1\" --model \"$2\" --graphics 256; echo \"exit=$?\"; echo done-marker",
                binary, sandbox.database, Self.tinyModel,
            ],
            rows: 40, columns: 120, environment: sandbox.environment)
        defer { session.kill() }

        // The summary arrives: 12 photos with vectors of the fixture model.
        var (found, screen) = try session.waitFor("12 photos", seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        #expect(screen.contains("tiny224"), "the status line names the model:\n\(screen)")

        try session.send(text: "bright colour")
        (found, screen) = try session.waitFor("12 results", seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        let scores = Self.scoreCount(screen)
        #expect(scores >= 6, "expected scores under the tiles:\n\(screen)")
        let names = Self.colours.map(\.0)
        #expect(
            names.filter { screen.contains($0) }.count >= 3, "gallery names on screen:\n\(screen)")

        // Ctrl-T cycles auto, English, 中文: twice from auto is 中文.
        try session.send(keys: ["C-t", "C-t"])
        (found, screen) = try session.waitFor("中文", seconds: 30)
        #expect(found, "screen was:\n\(screen)")
        // Switching the language searches again; wait for the results.
        (found, screen) = try session.waitFor("12 results", seconds: 60)
        #expect(found, "screen was:\n\(screen)")

        try Self.press(session, "Escape", "Enter")
        (found, screen) = try session.waitFor("path", seconds: 30)
        #expect(found, "detail pane expected:\n\(screen)")
        (found, screen) = try session.waitFor("gallery/", seconds: 30)
        #expect(found, "the photo's path is shown:\n\(screen)")
        #expect(screen.contains("score") && screen.contains("folder"), "detail facts:\n\(screen)")

        try session.send(keys: ["r"])
        (found, screen) = try session.waitFor("reindex finished: 12 photos", seconds: 120)
        #expect(found, "screen was:\n\(screen)")

        try session.send(keys: ["q"])
        (found, screen) = try session.waitFor("done-marker", history: true, seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        #expect(screen.contains("exit=0"), "screen was:\n\(screen)")
        // The alternate screen was left: the explorer's frame is gone.
        #expect(!screen.contains("picseek ❯"), "explorer still on screen:\n\(screen)")
    }

    @Test(
        "opening the explorer picks up a photo added since the last index run, unless --no-refresh")
    func exploreRefreshesAtStart() throws {
        guard let binary = Self.ready() else { return }
        let sandbox = try Sandbox()
        try Self.index(sandbox)
        try FileManager.default.copyItem(
            atPath: sandbox.gallery + "/red.jpg", toPath: sandbox.gallery + "/red again.jpg")
        for (flag, wanted) in [("--no-refresh", "12 photos"), ("", "13 photos")] {
            let session = try TmuxSession(
                command: [
                    "sh", "-c",
                    "\"$0\" explore --db \"$1\" --model \"$2\" --graphics ascii $3; echo \"exit=$?\"; echo done-marker",
                    binary, sandbox.database, Self.tinyModel, flag,
                ],
                rows: 30, columns: 100, environment: sandbox.environment)
            defer { session.kill() }
            var (found, screen) = try session.waitFor(wanted, seconds: 60)
            #expect(found, "\(flag): screen was:\n\(screen)")
            // A reindex at start is marked before the first frame and leaves a mark in
            // every frame until a key is pressed: "indexing" while it runs, then the
            // "reindex finished" (or "reindex failed") message. So a frame that counts
            // the photos without either proves that none started.
            let refreshed = screen.contains("indexing") || screen.contains("reindex ")
            if flag == "--no-refresh" {
                #expect(!refreshed, "refreshed despite --no-refresh:\n\(screen)")
            } else {
                #expect(refreshed, "no sign of the refresh at start:\n\(screen)")
            }
            try Self.press(session, "Escape")
            try session.send(keys: ["q"])
            (found, screen) = try session.waitFor("done-marker", history: true, seconds: 60)
            #expect(found && screen.contains("exit=0"), "screen was:\n\(screen)")
        }
    }

    @Test("explore DIR on a folder not indexed yet indexes it in the background")
    func exploreIndexesNewFolder() throws {
        guard let binary = Self.ready() else { return }
        let sandbox = try Sandbox()
        let session = try TmuxSession(
            command: [
                "sh", "-c",
                "\"$0\" explore --db \"$1\" --model \"$2\" --graphics ascii \"$3\"; echo \"exit=$?\"; echo done-marker",
                binary, sandbox.database, Self.tinyModel, sandbox.gallery,
            ],
            rows: 30, columns: 100, environment: sandbox.environment)
        defer { session.kill() }
        var (found, screen) = try session.waitFor("reindex finished: 12 photos", seconds: 120)
        #expect(found, "screen was:\n\(screen)")
        try session.send(text: "cat")
        (found, screen) = try session.waitFor("12 results", seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        try session.send(keys: ["C-c"])
        (found, screen) = try session.waitFor("done-marker", history: true, seconds: 60)
        // Ctrl-C aborts: status 130, as for an interrupted program.
        #expect(found && screen.contains("exit=130"), "screen was:\n\(screen)")
    }

    @Test("marked photos' exact paths go to a redirected output on q, and nothing on Ctrl-C")
    func markedPathsToPipe() throws {
        guard let binary = Self.ready() else { return }
        let sandbox = try Sandbox()
        // A name that is not UTF-8 and holds an escape sequence, printed byte for byte.
        let oddName: [UInt8] = [
            0x6F, 0x64, 0x64, 0xFF, 0x1B, 0x5B, 0x32, 0x4A, 0x2E, 0x6A, 0x70, 0x67,
        ]
        let target =
            (Array((sandbox.gallery + "/").utf8) + oddName).map { CChar(bitPattern: $0) } + [0]
        let bytes = try [UInt8](
            Data(contentsOf: URL(fileURLWithPath: sandbox.gallery + "/red.jpg")))
        let fd = open(target, O_CREAT | O_WRONLY, 0o644)
        try #require(fd >= 0)
        #expect(write(fd, bytes, bytes.count) == bytes.count)
        close(fd)
        // The newest photo, so `d` (newest first) puts it first.
        var times = [
            timeval(tv_sec: 1_900_000_000, tv_usec: 0), timeval(tv_sec: 1_900_000_000, tv_usec: 0),
        ]
        try #require(utimes(target, &times) == 0)
        try Self.index(sandbox, expecting: 13)
        let output = sandbox.root + "/picked.txt"
        for (keys, status, wanted, separator) in [
            (["q"], "exit=0", true, UInt8(10)), (["C-c"], "exit=130", false, UInt8(10)),
            (["q"], "exit=0", true, UInt8(0)),
        ] {
            let session = try TmuxSession(
                command: [
                    "sh", "-c",
                    "\"$0\" explore --db \"$1\" --model \"$2\" --graphics ascii $4 > \"$3\"; echo \"exit=$?\"; echo done-marker",
                    binary, sandbox.database, Self.tinyModel, output,
                    separator == 0 ? "--print0" : "",
                ],
                rows: 30, columns: 100, environment: sandbox.environment)
            defer { session.kill() }
            try session.send(text: "red")
            var (found, screen) = try session.waitFor("13 results", seconds: 60)
            #expect(found, "screen was:\n\(screen)")
            try Self.press(session, "Escape", "d")
            (found, screen) = try session.waitFor("newest first", seconds: 20)
            #expect(found, "screen was:\n\(screen)")
            // `d` keeps the selected photo selected: go to the first, mark it and the
            // second, then unmark and mark the second again.
            try Self.press(session, "g", "Space", "Right", "Space", "Space", "Space")
            (found, screen) = try session.waitFor("2 marked", seconds: 20)
            #expect(found, "screen was:\n\(screen)")
            try session.send(keys: keys)
            (found, screen) = try session.waitFor("done-marker", history: true, seconds: 60)
            #expect(found && screen.contains(status), "screen was:\n\(screen)")
            let printed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output)))
            if wanted {
                let lines = printed.split(separator: separator, omittingEmptySubsequences: false)
                    .map(Array.init)
                #expect(lines.count == 3 && lines[2].isEmpty, "printed: \(printed)")
                #expect(
                    lines.first == Array((sandbox.gallery + "/").utf8) + oddName,
                    "printed: \(String(decoding: printed, as: UTF8.self))")
                // The second is another gallery photo, as stored.
                #expect(
                    lines.count > 1 && lines[1].starts(with: Array((sandbox.gallery + "/").utf8))
                        && FileManager.default.fileExists(
                            atPath: String(decoding: lines[1], as: UTF8.self))
                )
            } else {
                #expect(printed.isEmpty, "printed: \(printed)")
            }
        }
    }

    @Test(
        "plain picseek on an empty index shows how to add folders, with the model from the config file"
    )
    func plainPicseekEmptyIndex() throws {
        guard let binary = Self.ready() else { return }
        let sandbox = try Sandbox()
        let config = sandbox.root + "/config/picseek"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        try Data("model = \"\(Self.tinyModel)\"\n".utf8)
            .write(to: URL(fileURLWithPath: config + "/config.toml"))
        let session = try TmuxSession(
            command: ["sh", "-c", "\"$0\"; echo \"exit=$?\"; echo done-marker", binary],
            rows: 30, columns: 100, environment: sandbox.environment)
        defer { session.kill() }
        var (found, screen) = try session.waitFor("The index is empty.", seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        #expect(screen.contains("tiny224 · auto EN · 0 photos"), "screen was:\n\(screen)")
        try Self.press(session, "Escape")
        try session.send(keys: ["q"])
        (found, screen) = try session.waitFor("done-marker", history: true, seconds: 60)
        #expect(found && screen.contains("exit=0"), "screen was:\n\(screen)")
    }

    @Test("m switches to another installed model with vectors in the index, and back")
    func exploreSwitchesModel() throws {
        guard let binary = Self.ready() else { return }
        let sandbox = try Sandbox()
        // Install the second fixture model as the user would (a folder in
        // the models directory), and index the gallery with both models.
        let models = sandbox.root + "/data/picseek/models"
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: models + "/odd70", withDestinationPath: Self.otherModel)
        try Self.index(sandbox)
        try Self.index(sandbox, model: models + "/odd70")
        let session = try TmuxSession(
            command: [
                "sh", "-c",
                "\"$0\" explore --db \"$1\" --model \"$2\" --graphics ascii; echo \"exit=$?\"; echo done-marker",
                binary, sandbox.database, Self.tinyModel,
            ],
            rows: 30, columns: 100, environment: sandbox.environment)
        defer { session.kill() }
        var (found, screen) = try session.waitFor("tiny224 · auto EN · 12 photos", seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        try session.send(text: "sky")
        (found, screen) = try session.waitFor("12 results", seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        try Self.press(session, "Escape", "m")
        // The grid has focus: the status line names the selected photo after the model.
        (found, screen) = try session.waitFor("model: odd70", seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        #expect(screen.contains(" odd70 · "), "screen was:\n\(screen)")
        try session.send(keys: ["m"])
        (found, screen) = try session.waitFor("model: tiny224", seconds: 60)
        #expect(found, "screen was:\n\(screen)")
        try session.send(keys: ["q"])
        (found, screen) = try session.waitFor("done-marker", history: true, seconds: 60)
        #expect(found && screen.contains("exit=0"), "screen was:\n\(screen)")
    }
}
