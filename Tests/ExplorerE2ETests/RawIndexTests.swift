import Foundation
import PicseekCore
import Store
import Testing

/// Camera RAW files through the real binary: `picseek index` reads the RAW-like fixtures
/// through their previews (metadata and thumbnails stored), records each hostile one with its
/// reason, `picseek errors` shows them, and `picseek status` counts photos by format.
@Suite("Camera RAW indexed by the binary", .serialized)
struct RawIndexTests {
    typealias Sandbox = IndexedExploreTests.Sandbox

    static let rawFixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ImagingTests/Fixtures/raw")

    @Test("raw photos are indexed with thumbnails; hostile ones are listed by picseek errors")
    func indexRaw() throws {
        guard BinaryTests.binary != nil else {
            Issue.record("the picseek binary was not built")
            return
        }
        let sandbox = try Sandbox()
        let folder = sandbox.gallery + "/raw"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.rawFixtures.path)
            .filter { !$0.hasSuffix(".png") && !$0.hasSuffix(".md") && !$0.hasSuffix(".json") }
            .sorted()
        for name in names {
            try FileManager.default.copyItem(
                atPath: Self.rawFixtures.path + "/" + name, toPath: folder + "/" + name)
        }
        let hostile = names.filter { $0.hasPrefix("hostile-") }
        #expect(names.count - hostile.count == 8 && hostile.count >= 8)

        let indexed = try IndexedExploreTests.run(
            [
                "index", "--db", sandbox.database, "--model", IndexedExploreTests.tinyModel,
                sandbox.gallery,
            ], in: sandbox)
        #expect(indexed.status == 0, "\(indexed.errors)")
        #expect(
            indexed.output.contains("\(12 + names.count) photos found"), "\(indexed.output)")
        #expect(indexed.output.contains("\(hostile.count) failed"), "\(indexed.output)")
        #expect(!indexed.output.contains("skipped"), "\(indexed.output)")

        let store = try IndexStore.open(path: sandbox.database, mode: .readOnly)
        let real = try canonical(folder)
        for name in names where !name.hasPrefix("hostile-") {
            let photo = try #require(try store.photo(path: Array((real + "/" + name).utf8)))
            #expect(photo.error == nil, "\(name): \(photo.error ?? "")")
            #expect(photo.camera != nil && (photo.width ?? 0) > 0, "\(name)")
            let hash = try #require(photo.contentHash)
            #expect(try store.thumbnails.get(hash: hash) != nil, "\(name) has no thumbnail")
        }

        let errors = try IndexedExploreTests.run(
            ["errors", "--db", sandbox.database], in: sandbox)
        #expect(errors.status == 0, "\(errors.errors)")
        let lines = errors.output.split(separator: "\n").map(String.init)
        #expect(lines.count == hostile.count, "\(errors.output)")
        for name in hostile {
            let line = lines.first { $0.contains("/" + name + ": ") }
            #expect(line != nil, "\(name) not listed: \(errors.output)")
        }

        let status = try IndexedExploreTests.run(
            ["status", "--db", sandbox.database], in: sandbox)
        #expect(status.status == 0, "\(status.errors)")
        let formats = status.output.split(separator: "\n").first { $0.hasPrefix("formats: ") }
        let rawCount = names.count
        #expect(
            formats?.hasPrefix("formats: RAW \(rawCount) (ARW 1, CR2 2, CR3 3, ") == true,
            "\(status.output)")
        #expect(
            formats?.hasSuffix("; \(hostile.count) failed), JPEG 12") == true, "\(status.output)")
    }

    /// The real path of `path`, as the index stores it.
    func canonical(_ path: String) throws -> String {
        try #require(
            realpath(path, nil).map { pointer in
                defer { free(pointer) }
                return String(cString: pointer)
            })
    }
}
