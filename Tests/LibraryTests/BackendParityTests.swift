import Foundation
import PicseekCore
import PicseekTestSupport
import Store
import Testing

@testable import Library

/// A photo tree whose bytes are their captions (so the fake model maps "red car" onto the
/// photo holding "red car"), indexed into `store`.
private final class ParityLibrary {
    let tree = TempTree()
    let store: any PhotoIndex
    let embedder = FakeEmbedder(dimension: 16)

    init(store: any PhotoIndex) throws {
        self.store = store
        tree.write("2019/red car.jpg", "red car")
        tree.write("2019/blue sea.jpg", "blue sea")
        tree.write("2023/green tree.jpg", "green tree")
        tree.write("2023/red car again.jpg", "red car!")
        tree.write("2023/yellow sun.jpg", "yellow sun")
        tree.write("2023/broken.jpg", "BROKEN")
        for name in ["2019/red car.jpg", "2019/blue sea.jpg"] {
            tree.setMtime(name, seconds: 1_560_000_000) // mid 2019
        }
        for name in ["2023/green tree.jpg", "2023/red car again.jpg", "2023/yellow sun.jpg"] {
            tree.setMtime(name, seconds: 1_690_000_000) // mid 2023
        }
    }

    func index() throws -> IndexReport {
        let indexer = Indexer(
            store: store, embedder: embedder, processor: Fakes.processor,
            encodeThumbnail: Fakes.encodeThumbnail)
        return try indexer.run(roots: [tree.root])
    }

    func stored(_ relative: String) -> [UInt8] {
        guard case .success(let root) = RawPath.canonical(tree.root) else { return [] }
        return RawPath.join(root, Array(relative.utf8))
    }

    func search(_ text: String, top: Int = 10, folder: String? = nil, since: String? = nil)
        throws -> [String]
    {
        let engine = SearchEngine(store: store, embedder: embedder, templates: .none)
        var request = SearchRequest(query: .text(text))
        request.top = top
        request.folder = folder.map { stored($0) }
        if let since { request.dates = try DateBounds(since: since, until: nil) }
        return try engine.search(request).map { String(decoding: $0.pathBytes, as: UTF8.self) }
    }
}

/// The same index, search, forget and status scenario, run against each backend.
private func indexSearchForget(_ store: any PhotoIndex) throws {
    let lib = try ParityLibrary(store: store)
    let first = try lib.index()
    #expect(first.added == 5)
    #expect(first.failed == 1)
    let again = try lib.index()
    #expect(again.unchanged == 6)
    #expect(again.added + again.updated + again.removed + again.moved == 0)

    let model = try #require(try store.model(named: lib.embedder.model.name))
    #expect(try store.vectorCount(model: model) == 5)
    let photo = try #require(try store.photo(path: lib.stored("2019/blue sea.jpg")))
    #expect(
        try store.vector(photoID: photo.id, model: model)
            == lib.embedder.project(Fakes.histogram(Array("blue sea".utf8))))
    #expect(try store.failedPhotos().map(\.path) == [lib.stored("2023/broken.jpg")])
    #expect(try store.thumbnails.count() == 5)
    let hash = try #require(photo.contentHash)
    #expect(try store.thumbnails.get(hash: hash) != nil)

    // Search, with the folder and date filters.
    #expect(
        try lib.search("blue sea", top: 1) == [
            String(decoding: lib.stored("2019/blue sea.jpg"), as: UTF8.self)
        ])
    let in2023 = try lib.search("red car", folder: "2023")
    #expect(in2023.count == 3)
    #expect(in2023.first?.hasSuffix("2023/red car again.jpg") == true)
    #expect(try lib.search("red car", since: "2023-01-01").count == 3)

    // A move keeps the vector without embedding; a changed file is embedded again.
    let embeddedBefore = lib.embedder.imageCount
    lib.tree.move("2019/blue sea.jpg", "2023/blue sea moved.jpg")
    lib.tree.write("2023/yellow sun.jpg", "yellow sun at noon")
    let third = try lib.index()
    #expect(third.moved == 1)
    #expect(third.updated == 1)
    #expect(lib.embedder.imageCount == embeddedBefore + 1)
    #expect(try store.photo(path: lib.stored("2019/blue sea.jpg")) == nil)

    // Forget a folder; status counts follow.
    #expect(try store.forget(path: lib.stored("2019")) == 1)
    let summary = try store.summary()
    #expect(summary.photos == 5)
    #expect(summary.failed == 1)
    #expect(summary.models.first?.vectors == 4)
    #expect(summary.lastRun?.outcome == "completed")
    let lines = try StatusReport.indexLines(store: store)
    #expect(lines.contains("photos: 5 (1 failed, see picseek errors)"))

    // Words in photos.
    let pending = try store.photosNeedingText(limit: 10)
    #expect(pending.count == 4)
    let words = RecognizedText(
        words: [
            RecognizedWord(
                text: "营业时间", confidence: 90, x: 0, y: 0, width: 10, height: 10, line: 0)
        ], languages: "chi_sim+eng")
    try store.putText(words, for: try #require(pending.first?.contentHash))
    #expect(try store.textProgress() == TextProgress(done: 1, pending: 3))
    #expect(try store.searchText("营业").map(\.photoID) == [pending[0].photoID])
    #expect(try store.recognizedText(for: pending[0].contentHash)?.words.count == 1)
}

@Suite("Backends behave alike")
struct BackendParityTests {
    @Test("SQLite: index, move, search with filters, forget, status and words")
    func sqlite() throws {
        let (dir, path) = TempTree.databasePath()
        defer { _ = dir }
        try indexSearchForget(try IndexStore.open(path: path))
    }

    @Test(
        "PostgreSQL: index, move, search with filters, forget, status and words",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    func postgres() throws {
        let url = try PostgresTestServer.freshDatabase()
        try indexSearchForget(try IndexOpening.open(url, for: .write))
    }
}
