import Explorer
import ExplorerBackends
import Foundation
import Library
import PicseekCore
import PicseekTestSupport
import Store
import Testing

/// A temporary index and photo folder whose photos' bytes are their captions, so
/// the fake model maps the text "red car" onto the photo containing "red car".
private final class BackendFixture {
    let tree = TempTree()
    let dbTree: TempTree
    let store: any PhotoIndex
    let root: [UInt8]

    /// Over a new SQLite index, or over `store` when given.
    init(store given: (any PhotoIndex)? = nil) throws {
        let dbPath: String
        (dbTree, dbPath) = TempTree.databasePath()
        store = try given ?? IndexStore.open(path: dbPath)
        tree.write("a/red car.jpg", "red car")
        tree.write("a/blue sea.jpg", "blue sea")
        tree.write("a/green tree.jpg", "green tree")
        guard case .success(let root) = RawPath.canonical(tree.root) else {
            throw CanonicalFailure()
        }
        self.root = root
    }

    struct CanonicalFailure: Error {}

    /// A backend answering with `name`, able to switch to the fake models `loadable`.
    func backend(
        model name: String, roots: [[UInt8]]? = nil, loadable: [String] = []
    ) -> LibraryBackend {
        LibraryBackend(
            store: store, roots: roots ?? [root], embedder: FakeEmbedder(name: name, dimension: 16),
            processor: Fakes.processor,
            folders: Dictionary(uniqueKeysWithValues: loadable.map { ($0, "/models/\($0)") }),
            load: { _, name in (FakeEmbedder(name: name, dimension: 16), Fakes.processor) })
    }
}

@Suite("library backend")
struct LibraryBackendTests {
    @Test("a search before any indexing finds nothing instead of failing")
    func searchBeforeIndexing() throws {
        let f = try BackendFixture()
        let backend = f.backend(model: "fake")
        #expect(try backend.search(text: "red car", language: .english, limit: 5).isEmpty)
    }

    @Test("a reindex indexes the folders; searches then find the matching photo and its likes")
    func reindexThenSearch() throws {
        let f = try BackendFixture()
        let backend = f.backend(model: "fake")
        let summary = try backend.reindex { _ in }
        #expect(summary.photos == 3)
        let hits = try backend.search(text: "red car", language: .english, limit: 2)
        #expect(hits.count == 2)
        #expect(RawPath.baseName(hits[0].pathBytes) == Array("red car.jpg".utf8))
        let similar = try backend.moreLikeThis(photoID: hits[0].photoID, limit: 1)
        #expect(similar.count == 1 && similar[0].photoID != hits[0].photoID)
        let detail = try backend.detail(photoID: hits[0].photoID)
        #expect(detail.pathBytes == hits[0].pathBytes)
        #expect(try backend.indexGeneration() != nil)
    }

    @Test(
        "on PostgreSQL: reindex, search, thumbnail, detail and more like this",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    func onPostgres() throws {
        let url = try PostgresTestServer.freshDatabase()
        let f = try BackendFixture(store: IndexOpening.open(url, for: .preferWrite))
        let backend = f.backend(model: "fake")
        #expect(try backend.reindex { _ in }.photos == 3)
        let hits = try backend.search(text: "red car", language: .english, limit: 2)
        #expect(hits.count == 2)
        #expect(RawPath.baseName(hits[0].pathBytes) == Array("red car.jpg".utf8))
        let thumbnail = try #require(try backend.thumbnail(photoID: hits[0].photoID))
        #expect(thumbnail.width > 0 && thumbnail.height > 0)
        #expect(try backend.detail(photoID: hits[0].photoID).pathBytes == hits[0].pathBytes)
        #expect(try backend.moreLikeThis(photoID: hits[0].photoID, limit: 1).count == 1)
        // Another machine's explorer: a second connection sees the same photos and pictures.
        let other = try BackendFixture(store: IndexOpening.open(url, for: .read))
        let again = try other.backend(model: "fake").search(
            text: "red car", language: .english, limit: 1)
        #expect(again.map(\.pathBytes) == [hits[0].pathBytes])
        #expect(try other.backend(model: "fake").thumbnail(photoID: again[0].photoID) != nil)
    }

    @Test("a reindex with no folders given and none stored says how to add one")
    func reindexWithoutFolders() throws {
        let f = try BackendFixture()
        #expect(throws: LibraryBackendError.noRoots) {
            _ = try f.backend(model: "fake", roots: []).reindex { _ in }
        }
        #expect("\(LibraryBackendError.noRoots)".contains("picseek index DIR"))
    }

    @Test("an unknown photo id is an error naming the id, and has no thumbnail")
    func unknownPhoto() throws {
        let f = try BackendFixture()
        let backend = f.backend(model: "fake")
        #expect(throws: LibraryBackendError.unknownPhoto(99)) {
            _ = try backend.detail(photoID: 99)
        }
        #expect("\(LibraryBackendError.unknownPhoto(99))" == "no photo with id 99 in the index")
        #expect(try backend.thumbnail(photoID: 99) == nil)
    }

    @Test("a switch to a model not installed here fails and keeps the current model")
    func switchToUnknownModel() throws {
        let f = try BackendFixture()
        let backend = f.backend(model: "fake")
        #expect(throws: LibraryBackendError.modelNotLoadable("other")) {
            _ = try backend.switchModel(to: "other")
        }
        #expect(backend.modelName == "fake")
    }

    @Test("a folder counts as indexed only under a root that was scanned")
    func isIndexed() throws {
        let f = try BackendFixture()
        #expect(try f.store.roots().isEmpty)
        _ = try f.backend(model: "fake").reindex { _ in }
        let roots = try f.store.roots()
        #expect(LibraryBackend.isIndexed(RawPath.join(f.root, Array("a".utf8)), roots: roots))
        #expect(!LibraryBackend.isIndexed(Array("/elsewhere".utf8), roots: roots))
    }
}

@Suite("explorer setup")
struct ExplorerSetupTests {
    @Test("without --model, the model that indexed this index answers and a rescan is due")
    func switchesToIndexedModel() throws {
        let f = try BackendFixture()
        _ = try f.backend(model: "indexed").reindex { _ in }
        var warnings: [String] = []
        let setup = try ExplorerSetup(
            backend: f.backend(model: "fresh", loadable: ["fresh", "indexed"]), store: f.store,
            roots: [f.root], modelChosen: false, warn: { warnings.append($0) })
        #expect(setup.backend.modelName == "indexed")
        #expect(!setup.needsIndexing)
        #expect(setup.refreshAtStart)
        #expect(warnings.isEmpty)
    }

    @Test("a model named by the user stays, with no rescan for a model without vectors")
    func keepsChosenModel() throws {
        let f = try BackendFixture()
        _ = try f.backend(model: "indexed").reindex { _ in }
        let setup = try ExplorerSetup(
            backend: f.backend(model: "fresh", loadable: ["fresh", "indexed"]), store: f.store,
            roots: [], modelChosen: true, warn: { _ in })
        #expect(setup.backend.modelName == "fresh")
        #expect(!setup.needsIndexing)
        #expect(!setup.refreshAtStart)
    }

    @Test("a folder never scanned needs indexing, and an empty index needs no rescan")
    func newFolderNeedsIndexing() throws {
        let f = try BackendFixture()
        let setup = try ExplorerSetup(
            backend: f.backend(model: "fake"), store: f.store, roots: [f.root],
            modelChosen: false, warn: { _ in })
        #expect(setup.needsIndexing)
        #expect(!setup.refreshAtStart)
    }
}
