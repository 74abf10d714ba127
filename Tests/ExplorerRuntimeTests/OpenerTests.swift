import Foundation
import Testing

@testable import ExplorerRuntime

/// The system-viewer launcher, with a stand-in viewer (`rm`) whose effect proves which
/// path it received.
@Suite("opening photos", .serialized)
struct OpenerTests {
    final class Messages: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func add(_ m: String) { lock.lock(); items.append(m); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
    }

    /// Whether a file exists at a path given as raw bytes.
    static func exists(_ path: [UInt8]) -> Bool {
        access(path.map { CChar(bitPattern: $0) } + [0], F_OK) == 0
    }

    @Test("the viewer receives a path that is not UTF-8 byte for byte")
    func rawBytes() throws {
        let root = NSTemporaryDirectory() + "picseek-opener-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        // "b\xFF\xFE\e[2J.jpg": invalid UTF-8 and an escape sequence.
        let path =
            Array((root + "/").utf8) + [
                0x62, 0xFF, 0xFE, 0x1B, 0x5B, 0x32, 0x4A, 0x2E, 0x6A, 0x70, 0x67,
            ]
        let fd = open(path.map { CChar(bitPattern: $0) } + [0], O_CREAT | O_WRONLY, 0o644)
        try #require(fd >= 0)
        close(fd)
        #expect(Self.exists(path))

        let messages = Messages()
        try Opener(command: ["rm", "--"]).open(path) { messages.add($0) }
        for _ in 0..<600 where Self.exists(path) { usleep(50_000) }
        #expect(!Self.exists(path), "rm did not receive the exact path")
        usleep(100_000)
        #expect(messages.all.isEmpty)
    }

    @Test("a viewer that fails is reported with the path shown, and a NUL byte is refused")
    func failures() throws {
        let messages = Messages()
        try Opener(command: ["false"]).open(Array("/photos/a.jpg".utf8)) { messages.add($0) }
        for _ in 0..<600 where messages.all.isEmpty { usleep(50_000) }
        #expect(messages.all == ["false failed (exit status 1) for /photos/a.jpg"])

        #expect(throws: OpenerError.self) {
            try Opener(command: ["false"]).open([0x2F, 0x61, 0x00, 0x62]) { messages.add($0) }
        }
        #expect(throws: OpenerError.self) {
            try Opener(command: ["picseek-test-no-such-viewer"]).open(Array("/a.jpg".utf8)) {
                messages.add($0)
            }
        }
    }
}
