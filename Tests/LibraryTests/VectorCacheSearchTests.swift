import Foundation
import PicseekCore
import PicseekTestSupport
import Store
import Tensor
import Testing

@testable import Library

/// Photos whose bytes are their captions, in two years' folders.
private func library() throws -> IndexFixture {
    let f = try IndexFixture(embedder: FakeEmbedder(dimension: 16))
    let captions = [
        "2019/red car.jpg": "red car", "2019/blue sea.jpg": "blue sea",
        "2019/old boat.jpg": "old boat on the sea", "2023/green tree.jpg": "green tree",
        "2023/red car again.jpg": "red car!", "2023/yellow sun.jpg": "yellow sun",
        "2023/sea again.jpg": "blue sea at noon",
    ]
    for (name, caption) in captions { f.tree.write(name, caption) }
    for name in captions.keys {
        f.tree.setMtime(name, seconds: name.hasPrefix("2019") ? 1_560_000_000 : 1_690_000_000)
    }
    _ = try f.index()
    return f
}

/// The requests every comparison runs: plain, filtered by folder and date, similar-to, cut.
private func requests(_ f: IndexFixture) throws -> [SearchRequest] {
    var out: [SearchRequest] = []
    var plain = SearchRequest(query: .text("red car + 0.5:blue sea"))
    plain.top = 5
    out.append(plain)
    var folder = plain
    folder.folder = f.stored("2023")
    out.append(folder)
    var dated = plain
    dated.dates = try DateBounds(since: "2023-01-01", until: nil)
    out.append(dated)
    let boat = try #require(try f.store.photo(path: f.stored("2019/old boat.jpg")))
    var similar = SearchRequest(query: .similarTo(photoID: boat.id))
    similar.top = 3
    out.append(similar)
    var cut = plain
    cut.cutoff = .ratio(0.5)
    cut.order = .newest
    out.append(cut)
    return out
}

@Suite("Search engine over the vector cache")
struct VectorCacheSearchTests {
    @Test("hits and scores are identical with the cache, without it, and read-only")
    func sameHits() throws {
        let f = try library()
        let cached = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        let plain = SearchEngine(
            store: f.store, embedder: f.embedder, templates: .none, vectorCache: false)
        let reader = try IndexStore.open(path: f.dbPath, mode: .readOnly)
        let readOnly = SearchEngine(store: reader, embedder: f.embedder, templates: .none)
        for request in try requests(f) {
            let a = try cached.search(request)
            let b = try plain.search(request)
            let c = try readOnly.search(request)
            #expect(!a.isEmpty)
            #expect(a == b, "\(request.query)")
            #expect(c == b, "\(request.query)")
        }
        #expect(cached.vectorCache != nil && cached.vectors == nil)
        #expect(plain.vectorCache == nil && plain.vectors?.count == 7)
        #expect(plain.loading == .database(cacheNotUsed: nil))
        #expect(readOnly.loading == .cacheOpened)
    }

    @Test("the first engine writes the cache, the next opens it, a change rewrites it")
    func madeUsedInvalidated() throws {
        let f = try library()
        let model = try f.model()
        let path = try #require(f.store.vectorCachePath(model: model))
        let first = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        try first.refresh()
        #expect(first.loading == .cacheWritten(after: .missing(path: path)))
        #expect(FileManager.default.fileExists(atPath: path))
        let second = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        try second.refresh()
        #expect(second.loading == .cacheOpened)
        #expect(second.count == 7)

        f.tree.write("2024/purple rain.jpg", "purple rain")
        _ = try f.index()
        #expect(try second.refresh())
        guard case .cacheWritten(.stale) = second.loading else {
            Issue.record(
                "an added photo did not rewrite the cache: \(String(describing: second.loading))")
            return
        }
        let hits = try second.search(SearchRequest(query: .text("purple rain")))
        #expect(RawPath.baseName(hits[0].pathBytes) == Array("purple rain.jpg".utf8))

        _ = try f.store.forget(path: f.stored("2024"))
        #expect(try second.refresh())
        #expect(second.count == 7)
        let after = try second.search(SearchRequest(query: .text("purple rain")))
        #expect(!after.contains { RawPath.baseName($0.pathBytes) == Array("purple rain.jpg".utf8) })
    }

    @Test("a garbage or truncated cache is rewritten, not trusted, and hits stay right")
    func damagedCache() throws {
        let f = try library()
        let model = try f.model()
        let path = try #require(f.store.vectorCachePath(model: model))
        let reference = try SearchEngine(
            store: f.store, embedder: f.embedder, templates: .none, vectorCache: false
        ).search(SearchRequest(query: .text("blue sea")))
        try SearchEngine(store: f.store, embedder: f.embedder, templates: .none).refresh()
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        for bytes in [good.prefix(good.count / 2), Data(repeating: 0x5A, count: good.count)] {
            try bytes.write(to: URL(fileURLWithPath: path))
            let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
            #expect(try engine.search(SearchRequest(query: .text("blue sea"))) == reference)
            guard case .cacheWritten(.corrupt) = engine.loading else {
                Issue.record("damage not noticed: \(String(describing: engine.loading))")
                continue
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == good)
        }
    }

    @Test("a store opened read-only writes the cache beside a writable index")
    func readOnlyOpenWritesCache() throws {
        let f = try library()
        let path = try #require(f.store.vectorCachePath(model: try f.model()))
        let reader = try IndexStore.open(path: f.dbPath, mode: .readOnly)
        let engine = SearchEngine(store: reader, embedder: f.embedder, templates: .none)
        let hits = try engine.search(SearchRequest(query: .text("green tree")))
        #expect(RawPath.baseName(hits[0].pathBytes) == Array("green tree.jpg".utf8))
        #expect(engine.loading == .cacheWritten(after: .missing(path: path)))
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("where no cache can be written the vectors load from the database, same hits")
    func cacheCannotBeWritten() throws {
        let f = try library()
        let path = try #require(f.store.vectorCachePath(model: try f.model()))
        let reference = try SearchEngine(
            store: f.store, embedder: f.embedder, templates: .none, vectorCache: false
        ).search(SearchRequest(query: .text("green tree")))
        // A folder in the cache's place: the rename fails (as root, permissions would not).
        try FileManager.default.createDirectory(
            atPath: path + "/x", withIntermediateDirectories: true)
        let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        #expect(try engine.search(SearchRequest(query: .text("green tree"))) == reference)
        guard case .database(let reason) = engine.loading else {
            Issue.record("expected a database load, got \(String(describing: engine.loading))")
            return
        }
        #expect(reason?.contains("cannot write vector cache") == true)
        #expect(engine.vectors?.count == 7)
    }

    @Test("a model registered again with other weights is refused, not served from the cache")
    func modelChanged() throws {
        let f = try library()
        try SearchEngine(store: f.store, embedder: f.embedder, templates: .none).refresh()
        let other = SearchEngine(
            store: f.store, embedder: FakeEmbedder(dimension: 16, fingerprint: "other"),
            templates: .none)
        #expect(throws: SearchError.self) { try other.search(SearchRequest(query: .text("x"))) }
    }

    @Test("the cache holds exactly the int8 rows an in-memory Int8Matrix makes")
    func sameQuantisation() throws {
        let f = try library()
        let model = try f.model()
        let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        try engine.refresh()
        let cache = try #require(engine.vectorCache)
        let set = try f.store.loadVectors(model: model)
        let matrix = Int8Matrix(set.matrix, rows: set.count, dimension: model.dimension)
        #expect(Array(cache.values) == matrix.values)
        #expect(Array(cache.scales) == matrix.scales)
        #expect(Array(cache.ids) == set.ids)
    }
}
