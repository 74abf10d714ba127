import Foundation
import Testing

@testable import ModelHub

@Suite("Output files")
struct OutputFileTests {
    @Test("a full disk (ENOSPC, via /dev/full) is reported as disk full with the path")
    func diskFull() throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        let out = try OutputFile(finalPath: "/dev/full-final", tempPath: "/dev/full", append: true)
        let chunk = [UInt8](repeating: 7, count: 3 << 20)
        #expect(throws: ModelHubError.diskFull(path: "/dev/full")) {
            try out.write(chunk)
            try out.flush()
        }
        #expect(
            ModelHubError.diskFull(path: "/dev/full").description.contains(
                "disk full while writing /dev/full"))
    }

    @Test("commit renames the temp file into place; discard leaves nothing")
    func commitAndDiscard() throws {
        let dir = makeTempDir("out")
        defer { cleanup(dir) }
        let a = try OutputFile(finalPath: dir + "/a")
        try a.write(Array("hello".utf8))
        #expect(!FileManager.default.fileExists(atPath: dir + "/a"))
        try a.commit()
        #expect(FileManager.default.contents(atPath: dir + "/a") == Data("hello".utf8))
        #expect(!FileManager.default.fileExists(atPath: dir + "/a.tmp"))
        let b = try OutputFile(finalPath: dir + "/b")
        try b.write(Array("x".utf8))
        b.discard()
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir)) == ["a"])
    }
}
