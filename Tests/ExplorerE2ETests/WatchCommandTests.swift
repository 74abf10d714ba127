import Foundation
import Imaging
import Store
import Testing

/// `picseek watch` as a separate process, with the index open in this one as an
/// explorer keeps it open: it must see the photos the watcher adds.
@Suite("picseek watch binary", .serialized)
struct WatchCommandTests {
    /// Polls `condition` every 50 ms until it holds or `seconds` pass.
    static func soon(_ seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    @Test("photos added while picseek watch runs reach the index an open explorer reads")
    func watchFeedsExplorer() throws {
        guard let binary = BinaryTests.binary else {
            Issue.record("picseek binary not found next to the test bundle")
            return
        }
        let sandbox = try IndexedExploreTests.Sandbox()
        try IndexedExploreTests.index(sandbox)
        // The explorer asks the open index for its generation every 2 s and reloads
        // when it moved (RuntimeLoopTests in ExplorerRuntimeTests).
        let store = try IndexStore.open(path: sandbox.database)
        let before = try store.generation()
        #expect(try store.summary().photos == 12)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "watch", "--db", sandbox.database, "--model", IndexedExploreTests.tinyModel,
        ]
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in sandbox.environment { environment[key] = value }
        process.environment = environment
        let logPath = sandbox.root + "/watch.log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        func output() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        #expect(Self.soon { output().contains("rescanned: 12 photos, no changes") }, "\(output())")
        let image = IndexedExploreTests.Sandbox.image(
            width: 80, height: 60, colour: [250, 250, 20], pattern: "yellow")
        try FileManager.default.createDirectory(
            atPath: sandbox.gallery + "/later", withIntermediateDirectories: true)
        try Data(try JPEG.encode(image, quality: 90))
            .write(to: URL(fileURLWithPath: sandbox.gallery + "/later/yellow.jpg"))

        #expect(try Self.soon { try store.summary().photos == 13 }, "\(output())")
        #expect(try store.generation() != before)
        // The watcher reports after its transaction commits: the count can come first.
        #expect(Self.soon { output().contains("1 added") }, "\(output())")

        process.terminate() // SIGTERM: a clean stop after the update in progress, 128 + 15
        process.waitUntilExit()
        try? log.close()
        #expect(process.terminationStatus == 143, "\(output())")
        #expect(output().contains("stopped watching"))
    }

    @Test("--install-service writes a user unit that runs this binary on this index")
    func installService() throws {
        let sandbox = try IndexedExploreTests.Sandbox()
        let result = try IndexedExploreTests.run(
            ["watch", "--install-service", "--db", sandbox.database, sandbox.gallery], in: sandbox)
        #expect(result.status == 0, "\(result.errors)")
        let unitPath = sandbox.root + "/config/systemd/user/picseek-watch.service"
        let unit = try String(contentsOfFile: unitPath, encoding: .utf8)
        let binary = try #require(BinaryTests.binary)
        let resolved = URL(fileURLWithPath: binary).resolvingSymlinksInPath().path
        let canonicalGallery = URL(fileURLWithPath: sandbox.gallery).resolvingSymlinksInPath().path
        let words = [resolved, "watch", "--db", sandbox.database, canonicalGallery]
        #expect(
            unit.contains("ExecStart=" + words.map { "\"\($0)\"" }.joined(separator: " ")),
            "\(unit)")
        #expect(unit.contains("WantedBy=default.target"))
        #expect(result.output.contains("systemctl --user enable --now picseek-watch"))
    }

    @Test("unit file words are quoted so systemd passes them unchanged")
    func quoting() throws {
        let sandbox = try IndexedExploreTests.Sandbox()
        let folder = sandbox.root + "/100% \"best\" $HOME \\x"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let result = try IndexedExploreTests.run(
            ["watch", "--install-service", "--db", sandbox.database, folder], in: sandbox)
        #expect(result.status == 0, "\(result.errors)")
        let unit = try String(
            contentsOfFile: sandbox.root + "/config/systemd/user/picseek-watch.service",
            encoding: .utf8)
        // `%` and `$` doubled, `"` and `\` escaped, the whole word in double quotes.
        let parent = URL(fileURLWithPath: sandbox.root).resolvingSymlinksInPath().path
        let quoted = "\"" + parent + "/100%% \\\"best\\\" $$HOME \\\\x\""
        #expect(unit.contains(" " + quoted), "\(unit)")
    }
}
