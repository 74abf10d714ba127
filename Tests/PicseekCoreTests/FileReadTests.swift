import Foundation
import PicseekCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh folder under the temporary directory, removed by `remove()`.
private struct Scratch {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "picseek-fileread-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("Reading whole files")
struct FileReadTests {
    @Test("a regular file comes back whole, with the size and time fstat gave")
    func regularFile() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let file = try scratch.write("photo.jpg", bytes)
        let contents = try FileRead.contents(of: file, limit: 1 << 20)
        #expect(contents.bytes == bytes)
        #expect(contents.size == 100_000)
        #expect(!contents.changedWhileReading)
        var info = stat()
        #expect(stat(file, &info) == 0)
        #expect(contents.mtimeNs == FileRead.mtimeNs(info))
        #expect(contents.mtimeNs > 0)
    }

    @Test("an empty file reads as no bytes, and a file above the limit is refused unread")
    func emptyAndTooLarge() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let empty = try scratch.write("empty.jpg", [])
        #expect(try FileRead.contents(of: empty, limit: 10).bytes == [])
        let big = try scratch.write("big.jpg", [UInt8](repeating: 7, count: 11))
        #expect(throws: FileReadError.tooLarge(path: Array(big.utf8), size: 11, limit: 10)) {
            try FileRead.contents(of: big, limit: 10)
        }
        #expect(try FileRead.contents(of: big, limit: 11).bytes.count == 11)
    }

    @Test("a FIFO is refused at once with a clear error instead of waiting for a writer")
    func fifo() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let pipe = scratch.path + "/pipe.jpg"
        #expect(mkfifo(pipe, 0o644) == 0)
        let outcome = Box()
        let done = DispatchSemaphore(value: 0)
        Thread {
            do {
                _ = try FileRead.contents(of: pipe, limit: 1 << 20)
                outcome.set(nil)
            } catch {
                outcome.set(error)
            }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 10) == .timedOut {
            // Release a reader blocked in open(2) so the thread can end, then fail.
            let writer = open(pipe, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            Issue.record("reading a FIFO did not return within 10 s")
            return
        }
        let error = try #require(outcome.get())
        #expect(error == .notRegular(path: Array(pipe.utf8), kind: .fifo))
        #expect(error.description.hasSuffix("pipe.jpg: is a fifo, not a regular file"))
    }

    @Test("a directory and a missing file fail with what they are, naming the path")
    func directoryAndMissing() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = FileReadError.notRegular(path: Array(scratch.path.utf8), kind: .directory)
        #expect(throws: folder) { try FileRead.contents(of: scratch.path, limit: 1 << 20) }
        let missing = scratch.path + "/missing.jpg"
        do {
            _ = try FileRead.contents(of: missing, limit: 1 << 20)
            Issue.record("a missing file was read")
        } catch {
            #expect(error == .system(path: Array(missing.utf8), operation: "open", code: ENOENT))
            #expect(error.reason == "cannot open: no such file or directory")
        }
    }

    @Test("raw path bytes that are not UTF-8 are opened as given and escaped in messages")
    func rawPath() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let name = Array(scratch.path.utf8) + Array("/caf".utf8) + [0xE9] + Array(".jpg".utf8)
        var cName = name.map { CChar(bitPattern: $0) } + [0]
        let fd = open(&cName, O_WRONLY | O_CREAT, 0o644)
        #expect(fd >= 0)
        _ = [UInt8]([1, 2, 3]).withUnsafeBytes { write(fd, $0.baseAddress, 3) }
        close(fd)
        #expect(try FileRead.contents(of: name, limit: 10).bytes == [1, 2, 3])
        let error = FileReadError.tooLarge(path: name, size: 3, limit: 1)
        #expect(!error.description.unicodeScalars.contains { $0.value == 0xFFFD })
        #expect(error.description.contains("caf"))
    }

    @Test("chunks come in order and add up to the file; a FIFO is refused there too")
    func chunks() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let file = try scratch.write("weights.bin", bytes)
        var seen: [UInt8] = []
        var sizes: [Int] = []
        let total = try FileRead.forEachChunk(of: file, chunkSize: 4096) { chunk in
            seen += chunk
            sizes.append(chunk.count)
        }
        #expect(total == 10_000)
        #expect(seen == bytes)
        #expect(sizes == [4096, 4096, 1808])
        let pipe = scratch.path + "/pipe"
        #expect(mkfifo(pipe, 0o644) == 0)
        #expect(throws: FileReadError.notRegular(path: Array(pipe.utf8), kind: .fifo)) {
            _ = try FileRead.forEachChunk(of: pipe) { _ in }
        }
    }
}

/// An error handed from a reading thread to the test.
private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var error: FileReadError?
    func set(_ value: (any Error)?) { lock.withLock { error = value as? FileReadError } }
    func get() -> FileReadError? { lock.withLock { error } }
}
