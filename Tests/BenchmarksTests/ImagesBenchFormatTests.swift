import Foundation
import Testing

@testable import Benchmarks

@Suite("bench images: photos of other formats")
struct ImagesBenchFormatTests {
    static func bench(_ lines: LinesBox) -> ImagesBench {
        var bench = ImagesBench()
        bench.width = 64
        bench.height = 48
        bench.runs = 1
        bench.exactRuns = 0
        bench.output = { lines.append($0) }
        return bench
    }

    final class LinesBox: @unchecked Sendable {
        var lines: [String] = []
        func append(_ line: String) { lines.append(line) }
    }

    static func tempPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "picseek-bench-\(getpid())-\(name)"
        ).path
    }

    @Test("a given photo is timed when it is of the format asked for")
    func givenPhoto() throws {
        let path = Self.tempPath("photo.jpg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let made = LinesBox()
        var writer = Self.bench(made)
        writer.saveJPEG = path
        try writer.run()
        let lines = LinesBox()
        var bench = Self.bench(lines)
        bench.file = path
        try bench.run()
        #expect(lines.lines.first?.hasPrefix("photo: \(path), 64x48 jpeg") == true)
        #expect(lines.lines.contains { $0.hasPrefix("fast  (DCT 1/") })
    }

    @Test("a photo of another format is refused, naming both formats")
    func wrongFormat() throws {
        let path = Self.tempPath("other.jpg")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = Self.bench(LinesBox())
        writer.saveJPEG = path
        try writer.run()
        var bench = Self.bench(LinesBox())
        bench.file = path
        bench.photoFormat = .heic
        #expect(throws: BenchError.wrongFormat(path: path, expected: "heic", found: "jpeg")) {
            try bench.run()
        }
    }

    @Test("formats picseek cannot write need a file, and the message says how to make one")
    func needsFile() throws {
        var bench = Self.bench(LinesBox())
        bench.photoFormat = .avif
        #expect(throws: BenchError.needsPhoto(format: "avif")) { try bench.run() }
        #expect(BenchError.needsPhoto(format: "avif").description.contains("--make avif"))
    }
}
