import Foundation
import PicseekTestSupport
import Testing

/// `picseek index --root-name` through the binary: two machines (told apart by
/// `PICSEEK_HOST`) mounting one gallery at two folders share one set of photos.
@Suite("Named roots through the binary", .serialized)
struct NamedRootCommandTests {
    typealias Sandbox = IndexedExploreTests.Sandbox

    /// Runs the binary with the sandbox environment and `PICSEEK_HOST=host`.
    static func run(
        _ arguments: [String], host: String, in sandbox: Sandbox
    ) throws -> (status: Int32, output: String, errors: String) {
        let binary = try #require(BinaryTests.binary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in sandbox.environment { environment[key] = value }
        environment["PICSEEK_HOST"] = host
        process.environment = environment
        let errorPath = sandbox.root + "/stderr-\(UInt32.random(in: 0...UInt32.max))"
        FileManager.default.createFile(atPath: errorPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        let out = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? err.close()
        let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), errors)
    }

    @Test(
        "a gallery named on two machines is indexed once and found under each machine's folder",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    func twoMachines() throws {
        guard BinaryTests.binary != nil else {
            Issue.record("the picseek binary was not built")
            return
        }
        let sandbox = try Sandbox()
        let url = try PostgresTestServer.freshDatabase()
        let model = IndexedExploreTests.tinyModel
        // Machine B's mount: the same files (hard links: same bytes, same times).
        let other = sandbox.root + "/mnt-b"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: sandbox.gallery) {
            try FileManager.default.linkItem(
                atPath: sandbox.gallery + "/" + name, toPath: other + "/" + name)
        }
        func picseek(_ arguments: [String], on host: String) throws -> String {
            let result = try Self.run(arguments + ["--db", url], host: host, in: sandbox)
            #expect(result.status == 0, "\(arguments): \(result.errors)")
            return result.output
        }
        let index = ["index", "--model", model, "--root-name", "nas"]
        let first = try picseek(index + [sandbox.gallery], on: "machine-a")
        #expect(first.contains("12 photos found, 12 added"), "\(first)")
        let second = try picseek(index + [other], on: "machine-b")
        #expect(second.contains("12 photos found, 0 added"), "\(second)")
        #expect(second.contains("12 unchanged"), "\(second)")

        let search = ["search", "--model", model, "--top", "3", "red"]
        let onB = try picseek(search, on: "machine-b").split(separator: "\n")
        #expect(onB.count == 3 && onB.allSatisfy { $0.contains(other + "/") }, "\(onB)")
        let onC = try picseek(search, on: "machine-c").split(separator: "\n")
        #expect(onC.count == 3 && onC.allSatisfy { $0.contains("  nas:") }, "\(onC)")

        let status = try picseek(["status"], on: "machine-b")
        #expect(status.contains("nas: mounted here (machine-b) at \(other)"), "\(status)")
        #expect(status.contains("nas on machine-a: \(sandbox.gallery)"), "\(status)")
        let elsewhere = try picseek(["status"], on: "machine-c")
        #expect(elsewhere.contains("nas: not mounted on this machine (machine-c)"), "\(elsewhere)")

        let bad = try Self.run(
            ["index", "--model", model, "--root-name", "a/b", "--db", url, other],
            host: "machine-b", in: sandbox)
        #expect(bad.status != 0)
        #expect(bad.errors.contains("root name \"a/b\" is not allowed: it contains a /"))
    }
}
