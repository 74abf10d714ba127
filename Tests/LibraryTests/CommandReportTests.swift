import Foundation
import PicseekCore
import PicseekTestSupport
import Store
import Testing

@testable import Library

/// The reports of `picseek doctor`, `status` and `duplicates` over a real index.
@Suite("command reports")
struct CommandReportTests {
    @Test("doctor on a missing index says nothing is indexed and finds no problem")
    func doctorMissingIndex() throws {
        let (tree, path) = TempTree.databasePath()
        _ = tree
        var lines: [String] = []
        let doctor = IndexDoctor(
            path: path, repair: false, makeThumbnail: Fakes.thumbnailFromBytes,
            encodeThumbnail: Fakes.encodeThumbnail
        ) { _ in true }
        let problems = try doctor.run { lines.append($0) }
        #expect(problems == 0)
        #expect(
            lines == [
                "index: \(TerminalSafe.escape(path))",
                "  not found: nothing indexed yet (picseek index FOLDER creates it)",
            ])
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("doctor counts photos whose files are gone and notes models not installed")
    func doctorGonePhotos() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        f.tree.write("b.jpg", "bravo")
        _ = try f.index()
        try FileManager.default.removeItem(atPath: f.tree.rootString + "/b.jpg")
        var lines: [String] = []
        let problems = try IndexDoctor(
            path: f.dbPath, repair: false, makeThumbnail: Fakes.thumbnailFromBytes,
            encodeThumbnail: Fakes.encodeThumbnail
        ) { _ in false }
        .run { lines.append($0) }
        #expect(problems >= 1)
        #expect(lines.contains("  integrity: ok"))
        #expect(lines.contains("  photos: 2 (0 failed)"))
        #expect(
            lines.contains(
                "  photos whose files are gone: 1 (the next picseek index removes them)"))
        #expect(lines.contains("    " + RawPath.display(f.stored("b.jpg"))))
        let model = try #require(lines.first { $0.hasPrefix("  model fake: ") })
        #expect(model.hasPrefix("  model fake: 2 vectors; note: no installed model"))
        var installed: [String] = []
        _ = try IndexDoctor(
            path: f.dbPath, repair: false, makeThumbnail: Fakes.thumbnailFromBytes,
            encodeThumbnail: Fakes.encodeThumbnail
        ) { $0 == "fake" }
        .run { installed.append($0) }
        #expect(installed.contains("  model fake: 2 vectors"))
    }

    @Test("status lists the photos, the folders, each model's vectors and the last run")
    func status() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        _ = try f.index()
        let lines = try StatusReport.indexLines(store: f.store)
        #expect(lines.first?.hasPrefix("index: " + TerminalSafe.escape(f.dbPath) + " (") == true)
        #expect(lines.contains("photos: 1 (0 failed, see picseek errors)"))
        #expect(lines.contains("  fake [test, 8-d, weights w1]: 1 vectors"))
        #expect(lines.contains("folders:"))
        #expect(!lines.contains("  none"))
        #expect(lines.contains { $0.hasPrefix("last run: ") && $0.hasSuffix("0 failed") })
        #expect(StatusReport.engineLine.hasPrefix("engine: "))
    }

    @Test("status lists photos by format: raw broken down by extension, failures per format")
    func statusFormats() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        f.tree.write("b.JPEG", "bravo")
        f.tree.write("c.png", "charlie")
        f.tree.write("trip/IMG_1.CR2", "delta")
        f.tree.write("trip/DSC_2.nef", "echo")
        f.tree.write("trip/L1000.dng", "BROKEN foxtrot")
        f.tree.write("scan.tif", "golf")
        f.tree.write("IMG_9.heic", "hotel")
        _ = try f.index()
        let counts = try f.store.photoCountsByExtension()
        #expect(counts.count == 8)
        #expect(
            counts.first { $0.fileExtension == "dng" }
                == ExtensionCount(
                    fileExtension: "dng", photos: 1, failed: 1))
        let lines = try StatusReport.indexLines(store: f.store)
        #expect(
            lines.contains(
                "formats: RAW 3 (CR2 1, DNG 1, NEF 1; 1 failed), JPEG 2, HEIC 1, PNG 1, TIFF 1"),
            "\(lines)")
        #expect(StatusReport.formatLine([]) == "formats: none")
        #expect(
            StatusReport.formatLine([
                ExtensionCount(fileExtension: "heif", photos: 2, failed: 0),
                ExtensionCount(fileExtension: "heic", photos: 1, failed: 0),
                ExtensionCount(fileExtension: "avif", photos: 1, failed: 0),
                ExtensionCount(fileExtension: "webp", photos: 1, failed: 1),
                ExtensionCount(fileExtension: "", photos: 1, failed: 0),
            ]) == "formats: HEIC 3, AVIF 1, WebP 1 (1 failed), no extension 1")
        let hostile = StatusReport.formatLine([
            ExtensionCount(fileExtension: "x\u{1B}[31m", photos: 1, failed: 0)
        ])
        #expect(!hostile.contains("\u{1B}") && hostile.hasPrefix("formats: X"))
    }

    @Test("duplicates compare only vectors of the same weights, and print groups")
    func duplicates() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        f.tree.write("copy.jpg", "alpha")
        _ = try f.index()
        let other = EmbedderIdentity(name: "fake", family: "test", dimension: 8, fingerprint: "w2")
        #expect(throws: DuplicatesError.self) {
            try DuplicateReport.vectors(in: f.store, of: other)
        }
        let missing = EmbedderIdentity(name: "none", family: "test", dimension: 8, fingerprint: "x")
        do {
            _ = try DuplicateReport.vectors(in: f.store, of: missing)
            Issue.record("no error for a model without vectors")
        } catch let error as DuplicatesError {
            #expect(error.description.hasPrefix("the index holds no vectors of model none"))
        }
        let set = try DuplicateReport.vectors(in: f.store, of: f.embedder.model)
        let groups = DuplicateFinder.groups(in: set, threshold: 0.95)
        #expect(groups.count == 1)
        let lines = DuplicateReport.lines(groups: groups, in: set, json: false)
        #expect(lines.first == "2 photos:")
        #expect(lines.count == 3)
        let json = DuplicateReport.lines(groups: groups, in: set, json: true)
        #expect(json.count == 1)
        #expect(json.first?.hasPrefix("{\"photos\":[{\"id\":") == true)
        #expect(
            DuplicateReport.summary(groups: groups, compared: set.count, threshold: 0.95)
                == "1 group, 2 photos, among 2 compared at cosine ≥ 0.95")
    }

    @Test("a photo typed for --like is found by id or path; anything else is named")
    func typedPhoto() throws {
        let f = try IndexFixture()
        f.tree.write("a.jpg", "alpha")
        _ = try f.index()
        let photo = try #require(try f.store.photo(path: f.stored("a.jpg")))
        #expect(try f.store.photoID(typed: String(photo.id)) == photo.id)
        let typed = String(decoding: f.stored("a.jpg"), as: UTF8.self)
        #expect(try f.store.photoID(typed: typed) == photo.id)
        let error = #expect(throws: TypedPathError.self) {
            try f.store.photoID(typed: "/no/such/photo.jpg")
        }
        #expect(error?.description == "/no/such/photo.jpg is not an indexed photo")
    }
}
