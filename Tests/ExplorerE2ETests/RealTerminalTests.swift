import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The explorer in a real terminal: xterm with sixel graphics (`-ti vt340`) on
/// a virtual X display, driven with synthetic key presses, checked on
/// screenshots. CI installs the programs (`.ci/run`); elsewhere the suite is
/// skipped with the list of what is missing.
@Suite(
    "explorer in a real xterm under Xvfb", .serialized,
    .enabled(if: XDisplay.missingPrograms.isEmpty, "\(XDisplay.skipReason)"))
struct RealTerminalTests {
    @Test(
        "xterm with sixel on a white background: the first tile shows the photo's colours, the query is readable"
    )
    func sixelInXterm() throws {
        guard let binary = IndexedExploreTests.ready() else { return }
        let sandbox = try IndexedExploreTests.Sandbox()
        try IndexedExploreTests.index(sandbox)
        let query = "a bright photo"
        let results = try IndexedExploreTests.searchResults(
            sandbox, database: sandbox.database, query)
        let firstName = ((results.first?.0 ?? "") as NSString).lastPathComponent
        let firstIndex = try #require(
            IndexedExploreTests.colours.firstIndex { "\($0.0).jpg" == firstName },
            "first result: \(firstName)")
        let (colourName, colour) = IndexedExploreTests.colours[firstIndex]
        let photo = IndexedExploreTests.Sandbox.image(
            width: 96 + firstIndex * 4, height: 72, colour: colour, pattern: colourName)
        let expected = Self.mean(photo.pixels)

        let display = try XDisplay()
        defer { display.stop() }
        let statusFile = sandbox.root + "/status.txt"
        let script = """
            "$0" status --db "$1" > "$2" 2>&1; exec "$0" explore --db "$1" --model "$3" --no-refresh
            """
        // 100x30 cells of the 6x13 font, at the top left of the screen, no window manager.
        let xterm = try display.start(
            "xterm",
            [
                "-ti", "vt340", "-fn", "6x13", "-geometry", "100x30+0+0", "-xrm",
                "XTerm*internalBorder: 0",
                "-e", "sh", "-c", script, binary, sandbox.database, statusFile,
                IndexedExploreTests.tinyModel,
            ],
            environment: sandbox.environment.filter { $0.key != "TERM" })
        defer { XDisplay.end(xterm) }
        // The status report: auto picks sixel in this xterm, for the reason shown.
        #expect(
            Self.poll(seconds: 30) {
                ((try? String(contentsOfFile: statusFile, encoding: .utf8)) ?? "").contains(
                    "explorer pictures")
            })
        let status = (try? String(contentsOfFile: statusFile, encoding: .utf8)) ?? ""
        #expect(status.contains("(--graphics auto): sixel"), "status said:\n\(status)")
        #expect(status.contains("cell: 6x13 pixels"), "status said:\n\(status)")

        // Wait for the explorer's first frame (text in its status line), then type.
        let cell = (width: 6, height: 13)
        let statusLine = (x: 0, y: 29 * cell.height, width: 100 * cell.width, height: cell.height)
        #expect(
            Self.poll(seconds: 30) {
                (try? display.darkPixels(in: statusLine)).map { $0 > 50 } == true
            })
        try display.run("xdotool", ["mousemove", "300", "200"])
        try display.run("xdotool", ["type", "--delay", "30", query])
        try display.run("xdotool", ["key", "Return"])

        // The first tile's picture: cells rows 2-7, columns 1-12; its middle
        // third is inside the fitted photo whatever its aspect.
        let tile = (x: 1 * cell.width + 24, y: 2 * cell.height + 26, width: 24, height: 26)
        var seen: [Int] = []
        let matched = Self.poll(seconds: 40) {
            guard let mean = try? display.meanColour(in: tile) else { return false }
            seen = mean
            return zip(mean, expected).allSatisfy { abs($0 - $1) <= (colour.isEmpty ? 60 : 12) }
        }
        #expect(
            matched,
            "first tile (\(colourName).jpg) mean colour \(seen), expected about \(expected)")
        // The query is drawn in the terminal's own (black) foreground on white:
        // dark ink where the query text is, after "picseek ❯ ".
        let typed = (x: 11 * cell.width, y: 0, width: query.count * cell.width, height: cell.height)
        let ink = try display.darkPixels(in: typed)
        #expect(ink > query.count * 4, "dark pixels in the query text: \(ink)")
        // …on the terminal's own white background, past the end of the query.
        let background = try display.meanColour(
            in: (x: 60 * cell.width, y: 0, width: 30, height: cell.height))
        #expect(background.allSatisfy { $0 >= 240 }, "query line background \(background)")
        try display.screenshot(to: sandbox.root + "/xterm.png")
    }

    static func mean(_ pixels: [UInt8]) -> [Int] {
        var sums = [0, 0, 0]
        for i in 0..<(pixels.count / 3) {
            for c in 0..<3 { sums[c] += Int(pixels[3 * i + c]) }
        }
        let n = max(1, pixels.count / 3)
        return sums.map { $0 / n }
    }

    static func poll(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.3)
        } while Date() < deadline
        return condition()
    }
}

/// A virtual X display (Xvfb) for one test, and the programs run on it.
final class XDisplay {
    static let programs = ["Xvfb", "xterm", "xdotool", "import", "convert"]

    static var missingPrograms: [String] {
        programs.filter { name in
            !(ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
                .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
        }
    }

    static var skipReason: String {
        "needs \(missingPrograms.joined(separator: ", ")) (Debian: xvfb xterm xdotool imagemagick "
            + "xfonts-base; .ci/run installs them)"
    }

    let name: String
    private let server: Process

    init() throws {
        name = ":\(100 + Int(getpid() % 400))"
        server = Process()
        server.executableURL = URL(fileURLWithPath: try Self.which("Xvfb"))
        server.arguments = [name, "-screen", "0", "800x480x24", "-nolisten", "tcp"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        let ready = RealTerminalTests.poll(seconds: 10) {
            (try? self.run("xdotool", ["getmouselocation"])) != nil
        }
        guard ready else { throw XDisplayError.failed("Xvfb \(name) did not start") }
    }

    func stop() {
        Self.end(server)
    }

    /// Ends `process`: SIGTERM, then SIGKILL if it is still there after 5 s.
    static func end(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        if !RealTerminalTests.poll(seconds: 5, { !process.isRunning }) {
            kill(process.processIdentifier, SIGKILL)
        }
    }

    /// Starts `program` on this display.
    func start(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> Process
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.which(program))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        // What the outer terminal says must not leak into the one under test.
        for key in [
            "NO_COLOR", "COLORTERM", "COLORFGBG", "TMUX", "STY", "TERM_PROGRAM", "KITTY_WINDOW_ID",
        ] {
            env[key] = nil
        }
        for (key, value) in environment { env[key] = value }
        env["DISPLAY"] = name
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `program` on this display to the end.
    func run(_ program: String, _ arguments: [String]) throws {
        let process = try start(program, arguments)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw XDisplayError.failed(
                "\(program) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)"
            )
        }
    }

    /// Saves the whole screen as a PNG.
    func screenshot(to path: String) throws {
        try run("import", ["-window", "root", path])
    }

    /// The mean colour (0-255 a channel) of a rectangle of the screen.
    func meanColour(in rect: (x: Int, y: Int, width: Int, height: Int)) throws -> [Int] {
        let text = try capture(rect, ["-resize", "1x1!", "-depth", "8", "txt:-"])
        // A "# ImageMagick …" comment, then "0,0: (r,g,b)  #RRGGBB  srgb(...)".
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("0,0:") }),
            let hash = line.range(of: "#")
        else { throw XDisplayError.failed("no colour in \(text)") }
        let hex = line[hash.upperBound...].prefix(6)
        guard hex.count == 6, let value = Int(hex, radix: 16) else {
            throw XDisplayError.failed("bad colour \(text)")
        }
        return [value >> 16, (value >> 8) & 0xFF, value & 0xFF]
    }

    /// How many pixels of a rectangle are dark (every channel below 100).
    func darkPixels(in rect: (x: Int, y: Int, width: Int, height: Int)) throws -> Int {
        let text = try capture(rect, ["-depth", "8", "txt:-"])
        var count = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let hash = line.range(of: "#") else { continue }
            let hex = line[hash.upperBound...].prefix(6)
            guard let value = Int(hex, radix: 16) else { continue }
            if value >> 16 < 100 && (value >> 8) & 0xFF < 100 && value & 0xFF < 100 { count += 1 }
        }
        return count
    }

    private func capture(_ rect: (x: Int, y: Int, width: Int, height: Int), _ output: [String])
        throws -> String
    {
        let file =
            NSTemporaryDirectory()
            + "picseek-x-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).png"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try screenshot(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.which("convert"))
        process.arguments =
            [file, "-crop", "\(rect.width)x\(rect.height)+\(rect.x)+\(rect.y)", "+repage"] + output
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func which(_ program: String) throws -> String {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(
            separator: ":")
        {
            let path = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw XDisplayError.failed("\(program) not found")
    }
}

enum XDisplayError: Error { case failed(String) }
