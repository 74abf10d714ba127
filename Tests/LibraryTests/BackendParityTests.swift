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

/// Photos, vectors of every model, thumbnails and words of an index, comparable across
/// backends (ids differ, so rows are keyed by path).
private func contents(_ store: any PhotoIndex) throws -> [String] {
    var lines: [String] = []
    let models = try store.models()
    for photo in try store.allPhotos() {
        var line =
            "\(RawPath.display(photo.path)) \(photo.size) \(photo.mtimeNs) "
            + "\(photo.width ?? -1)x\(photo.height ?? -1) \(photo.takenAt ?? "-") "
            + "\(photo.error ?? "-")"
        for model in models {
            line += " \(model.name)=\(try store.vector(photoID: photo.id, model: model) ?? [])"
        }
        if let hash = photo.contentHash {
            line += " thumb=\(try store.thumbnails.get(hash: hash)?.jpeg.count ?? -1)"
            line += " words=\(try store.recognizedText(for: hash)?.words.map(\.text) ?? [])"
        }
        lines.append(line)
    }
    return lines + (try store.roots().map { "root \(RawPath.display($0.path)) \($0.readsWords)" })
}

/// Indexes the parity library into a new SQLite index and reads words for one photo.
private func sqliteSource() throws -> (ParityLibrary, TempTree) {
    let (dir, path) = TempTree.databasePath()
    let lib = try ParityLibrary(store: try IndexStore.open(path: path))
    _ = try lib.index()
    let pending = try #require(try lib.store.photosNeedingText(limit: 1).first)
    try lib.store.putText(
        RecognizedText(
            words: [
                RecognizedWord(
                    text: "exit", confidence: 95, x: 1, y: 2, width: 3, height: 4, line: 0)
            ], languages: "eng"), for: pending.contentHash)
    return (lib, dir)
}

@Suite("Copying an index")
struct IndexCopyTests {
    @Test("SQLite to SQLite: everything arrives, nothing is embedded, a second copy writes nothing")
    func sqliteToSqlite() throws {
        let (lib, dir) = try sqliteSource()
        let (targetDir, target) = TempTree.databasePath()
        defer { _ = (dir, targetDir) }
        let embedded = lib.embedder.imageCount
        let destination = try IndexStore.open(path: target)
        let report = try IndexCopy.run(from: lib.store, to: destination, batch: 2)
        #expect(report.vectors == 5)
        #expect(report.failed == 1)
        #expect(report.thumbnails == 5)
        #expect(report.texts == 1)
        #expect(try contents(destination) == contents(lib.store))
        #expect(lib.embedder.imageCount == embedded)
        let again = try IndexCopy.run(from: lib.store, to: destination)
        #expect(again.vectors == 0 && again.thumbnails == 0 && again.texts == 0)
        #expect(again.alreadyThere == 5)
    }

    @Test(
        "SQLite to PostgreSQL and back: the same photos, vectors, thumbnails and words",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    func throughPostgres() throws {
        let (lib, dir) = try sqliteSource()
        let (backDir, back) = TempTree.databasePath()
        defer { _ = (dir, backDir) }
        let postgres = try IndexOpening.open(try PostgresTestServer.freshDatabase(), for: .write)
        let first = try IndexCopy.run(from: lib.store, to: postgres, batch: 2)
        #expect(first.vectors == 5 && first.thumbnails == 5 && first.texts == 1)
        #expect(try contents(postgres) == contents(lib.store))
        // A copy that stopped part-way lacks some photos: running it again adds only those.
        #expect(try postgres.forget(path: lib.stored("2023")) == 4)
        let resumed = try IndexCopy.run(from: lib.store, to: postgres)
        #expect(resumed.vectors == 3)
        #expect(resumed.alreadyThere == 2)
        #expect(try contents(postgres) == contents(lib.store))
        let returned = try IndexStore.open(path: back)
        _ = try IndexCopy.run(from: postgres, to: returned)
        #expect(try contents(returned) == contents(lib.store))
        // Search on the copy finds the same photo.
        let engine = SearchEngine(store: postgres, embedder: lib.embedder, templates: .none)
        var request = SearchRequest(query: .text("blue sea"))
        request.top = 1
        #expect(try engine.search(request).map(\.pathBytes) == [lib.stored("2019/blue sea.jpg")])
    }
}

@Suite("Searching in PostgreSQL")
struct PostgresSearchTests {
    @Test(
        "with its HNSW index the engine searches in the database and finds what SQLite finds",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    func hnswMatchesSQLite() throws {
        let (lib, dir) = try sqliteSource()
        defer { _ = dir }
        let postgres = try #require(
            try IndexOpening.open(try PostgresTestServer.freshDatabase(), for: .write)
                as? PostgresStore)
        _ = try IndexCopy.run(from: lib.store, to: postgres)
        let model = try #require(try postgres.model(named: lib.embedder.model.name))
        try postgres.buildVectorIndex(model: model)

        let inDatabase = SearchEngine(store: postgres, embedder: lib.embedder, templates: .none)
        let inFile = SearchEngine(store: lib.store, embedder: lib.embedder, templates: .none)
        try inDatabase.refresh()
        #expect(inDatabase.loading == .searchedInDatabase)
        #expect(inDatabase.vectors == nil)
        #expect(inDatabase.count == 5)

        func paths(_ engine: SearchEngine, _ request: SearchRequest) throws -> [[UInt8]] {
            try engine.search(request).map(\.pathBytes)
        }
        var plain = SearchRequest(query: .text("red car"))
        plain.top = 3
        #expect(try paths(inDatabase, plain) == paths(inFile, plain))
        #expect(try paths(inDatabase, plain).first == lib.stored("2019/red car.jpg"))
        let scores = try inDatabase.search(plain).map(\.score)
        let exact = try inFile.search(plain).map(\.score)
        #expect(zip(scores, exact).allSatisfy { abs($0 - $1) < 1e-5 })

        var folder = SearchRequest(query: .text("red car"))
        folder.folder = lib.stored("2023")
        #expect(try paths(inDatabase, folder) == paths(inFile, folder))
        #expect(try paths(inDatabase, folder).allSatisfy { $0.starts(with: lib.stored("2023")) })

        // By a stored photo: the photo itself is left out.
        let photo = try #require(try postgres.photo(path: lib.stored("2019/blue sea.jpg")))
        var similar = SearchRequest(query: .similarTo(photoID: photo.id))
        similar.top = 2
        let found = try paths(inDatabase, similar)
        #expect(found.count == 2 && !found.contains(lib.stored("2019/blue sea.jpg")))

        // Date bounds are applied in SQL too (no vector is read into memory), with the same
        // result, alone and with the folder filter.
        var dated = SearchRequest(query: .text("red car"))
        dated.dates = try DateBounds(since: "2023-01-01", until: nil)
        #expect(try paths(inDatabase, dated) == paths(inFile, dated))
        #expect(try inDatabase.search(dated).count == 3)
        #expect(inDatabase.vectors == nil)
        dated.dates = try DateBounds(since: "2019", until: "2019-12")
        dated.folder = lib.stored("2019")
        #expect(try paths(inDatabase, dated) == paths(inFile, dated))
        #expect(try paths(inDatabase, dated).count == 2)
        dated.folder = lib.stored("2023")
        #expect(try inDatabase.search(dated).isEmpty && inFile.search(dated).isEmpty)
        #expect(inDatabase.vectors == nil)
    }
}
