import Foundation
import PicseekCore
import PicseekTestSupport
import Store
import Testing

@testable import Library

#if canImport(Glibc)
    import Glibc
#endif

/// Trees that change under the indexer: files written while read, a root that goes away
/// during a run, very deep folders.
@Suite("Indexer on odd file trees", .serialized)
struct OddTreeTests {
    @Test(
        "a file that changes during every read is read again, then reported; once settled it reads")
    func changingFile() throws {
        let tree = TempTree()
        let path = tree.write("growing.jpg", String(repeating: "x", count: 1 << 20))
        // Every pass sees a change (as while a copy is still being written).
        var passes = 0
        do {
            _ = try FileReader.read(path, limit: 1 << 30, retryDelayMicroseconds: 0) {
                (path, limit) throws(FileReadError) in
                passes += 1
                var contents = try FileRead.contents(of: path, limit: limit)
                contents.changedWhileReading = true
                return contents
            }
            Issue.record("a file changing during every read was read")
        } catch {
            #expect(error == .changedWhileReading(path: path))
            #expect(error.reason.contains("kept changing while it was read"))
        }
        #expect(passes == FileReader.retries)
        // A change seen once, then none: the second pass returns the bytes.
        passes = 0
        let (bytes, stamp) = try FileReader.read(path, limit: 1 << 30, retryDelayMicroseconds: 0) {
            (path, limit) throws(FileReadError) in
            passes += 1
            var contents = try FileRead.contents(of: path, limit: limit)
            contents.changedWhileReading = passes == 1
            return contents
        }
        #expect(passes == 2 && bytes.count == 1 << 20 && stamp.size == Int64(bytes.count))
    }

    @Test("a file growing while it is read is seen to change (size or date from fstat)")
    func growingFileIsSeen() throws {
        let tree = TempTree()
        let path = tree.write("growing.jpg", String(repeating: "x", count: 8 << 20))
        let fd = RawPath.withCString(path) { open($0, O_WRONLY | O_APPEND) }
        try #require(fd >= 0)
        let stop = Locked(false)
        let stopped = DispatchSemaphore(value: 0)
        let writer = Thread {
            let byte: [UInt8] = [0x79]
            while !stop.value { _ = byte.withUnsafeBytes { write(fd, $0.baseAddress, 1) } }
            stopped.signal()
        }
        writer.start()
        // The writer never stops, so a change shows within a few reads even on a busy machine
        // (one read that happens to fall between two writes is not a failure).
        var seen = false
        for _ in 0..<50 where !seen {
            seen = try FileRead.contents(of: path, limit: 1 << 30).changedWhileReading
        }
        stop.value = true
        // The writer must be gone before the descriptor is closed: a write after close could
        // land in whatever file another test opens under the same number.
        stopped.wait()
        close(fd)
        #expect(seen, "50 reads of a file being appended to all saw it unchanged")
        let (bytes, stamp) = try FileReader.read(path, limit: 1 << 30)
        #expect(bytes.count > 8 << 20 && stamp.size == Int64(bytes.count))
    }

    @Test(
        "a root that disappears during a run stops it; rows stay, nothing is recorded failed or deleted"
    )
    func rootVanishes() throws {
        let f = try IndexFixture()
        for index in 0..<40 { f.tree.write("p\(index).jpg", "photo \(index)") }
        var options = IndexOptions()
        options.batchSize = 1
        options.commitEvery = 4
        options.decodeThreads = 1
        options.queueCapacity = 1
        _ = try f.index(options: options)
        #expect(try f.store.allPhotos().count == 40)
        // New files, then the folder goes away while they are being read.
        for index in 40..<80 { f.tree.write("q\(index).jpg", "photo \(index)") }
        let root = f.tree.rootString
        let moved = root + "-away"
        let calls = Locked(0)
        let processor: PhotoProcessor = { bytes, spec in
            // One decode thread calls this: no race on the count.
            calls.value += 1
            if calls.value == 3 { _ = rename(root, moved) }
            return try Fakes.processor(bytes, spec)
        }
        do {
            _ = try f.index(options: options, processor: processor)
            Issue.record("the run went on after its folder disappeared")
        } catch let error as IndexError {
            #expect("\(error)".contains("disappeared during the run"))
        }
        let photos = try f.store.allPhotos()
        #expect(photos.count >= 40 && photos.count < 80)
        #expect(photos.allSatisfy { $0.error == nil })
        #expect(try f.store.integrityCheck() == ["ok"])
        // Back again: the next run completes.
        #expect(rename(moved, root) == 0)
        let report = try f.index(options: options)
        #expect(report.failed == 0 && report.removed == 0)
        #expect(try f.store.allPhotos().count == 80)
    }

    @Test("a tree 200 folders deep is indexed without recursion limits")
    func deepTree() throws {
        let f = try IndexFixture()
        let deep = (0..<200).map { "d\($0 % 10)" }.joined(separator: "/")
        f.tree.write(deep + "/bottom.jpg", "bottom")
        f.tree.write("top.jpg", "top")
        let report = try f.index()
        #expect(report.added == 2)
        #expect(report.problems.isEmpty)
    }
}

@Suite("Scanner on a large folder")
struct LargeFolderTests {
    /// The scanner is one readdir loop with no per-folder limit; 200,000 entries show it
    /// (making them is most of this test's time).
    @Test("a folder of 200,000 files is listed in full; only photo names are looked at closely")
    func largeFolder() throws {
        let tree = TempTree()
        let dir = tree.rootString + "/big"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var unmade = 0
        let folder = open(dir, O_RDONLY | O_DIRECTORY)
        #expect(folder >= 0)
        for index in 0..<200_000 {
            let name = index % 4 == 0 ? "p\(index).jpg" : "f\(index).txt"
            let fd = openat(folder, name, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd < 0 { unmade += 1 } else { close(fd) }
        }
        close(folder)
        #expect(unmade == 0)
        let result = FileScanner(options: ScanOptions()).scan(root: tree.root)
        #expect(result.files.count == 50_000)
        #expect(result.problems.isEmpty)
        #expect(result.folders == 2)
    }
}
