import CLIP
import Explorer
import Foundation
import PicseekCore
import Store
import Tensor
import Testing

@testable import picseek

/// The index-backed explorer backend in process, over a generated gallery and
/// the random-weight fixture model (assertions on structure, not ranking).
@Suite("library backend", .serialized)
struct LibraryBackendTests {
    /// Collects progress reports from the indexing thread.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [PicseekCore.IndexProgress] = []
        func add(_ p: PicseekCore.IndexProgress) { lock.lock(); items.append(p); lock.unlock() }
        var all: [PicseekCore.IndexProgress] { lock.lock(); defer { lock.unlock() }; return items }
    }

    /// How the reindex thread ended.
    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Result<IndexSummary, any Error>?
        func set(_ r: Result<IndexSummary, any Error>) { lock.lock(); stored = r; lock.unlock() }
        var result: Result<IndexSummary, any Error>? { lock.lock(); defer { lock.unlock() }; return stored }
    }

    @Test("a new folder needs indexing; searches go on during the reindex and then find every photo")
    func reindexWhileSearching() throws {
        let sandbox = try IndexedExploreTests.Sandbox()
        let store = try IndexStore.open(path: sandbox.database)
        let setup = try makeExplorerBackend(
            roots: [sandbox.gallery], store: store, modelPath: IndexedExploreTests.tinyModel)
        #expect(setup.needsIndexing)
        #expect(!setup.refreshAtStart)  // nothing indexed yet
        let backend = setup.backend
        #expect(try backend.summary().photos == 0)
        #expect(try backend.search(text: "cat", language: .english, limit: 50).isEmpty)

        let reports = Reports()
        let finished = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        let thread = Thread {
            outcome.set(Result { try backend.reindex { reports.add($0) } })
            finished.signal()
        }
        thread.start()
        // Search repeatedly while the indexer writes; every search must succeed.
        var searches = 0
        while finished.wait(timeout: .now() + 0.05) == .timedOut {
            let hits = try backend.search(text: "sunset", language: .chinese, limit: 50)
            #expect(hits.count <= 12)
            searches += 1
        }
        #expect(searches > 0)
        let summary = try #require(try outcome.result?.get())
        #expect(summary.photos == 12)
        #expect(summary.modelName == "tiny224")
        #expect(reports.all.contains { $0.total == 12 })
        #expect(reports.all.last.map { $0.done == $0.total } == true)

        let hits = try backend.search(text: "red + sky - 2:grass", language: .english, limit: 50)
        #expect(hits.count == 12)
        #expect(Set(hits.map(\.fileName)) == Set(IndexedExploreTests.colours.map { "\($0.0).jpg" }))
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })

        let first = try #require(hits.first)
        let similar = try backend.moreLikeThis(photoID: first.photoID, limit: 50)
        #expect(similar.count == 11)
        #expect(!similar.contains { $0.photoID == first.photoID })

        let thumbnail = try #require(try backend.thumbnail(photoID: first.photoID))
        #expect(max(thumbnail.width, thumbnail.height) <= 128 && thumbnail.width > 0)
        let detail = try backend.detail(photoID: first.photoID)
        #expect(detail.path == first.path)
        #expect(detail.metadata?.height == 72)
        #expect((detail.fileSize ?? 0) > 0)
        #expect(detail.preview.map { $0.width > thumbnail.width } == true)
        #expect(throws: (any Error).self) { try backend.detail(photoID: 99_999) }

        let again = try makeExplorerBackend(
            roots: [sandbox.gallery], store: store, modelPath: IndexedExploreTests.tinyModel)
        #expect(!again.needsIndexing)
        #expect(again.refreshAtStart)
        #expect(try again.backend.summary().models == ["tiny224"])
        #expect(throws: (any Error).self) { try backend.switchModel(to: "not-installed") }
    }

    @Test("a bfloat16 reindex runs beside searches and ranks as a float32 one does",
          .enabled(if: Kernels.bf16Supported, "this CPU has no AVX512_BF16"))
    func bf16ReindexWhileSearching() throws {
        var rankings: [[String]] = []
        for precision in [ImagePrecision.float32, .bfloat16] {
            let sandbox = try IndexedExploreTests.Sandbox()
            let store = try IndexStore.open(path: sandbox.database)
            let backend = try makeExplorerBackend(
                roots: [sandbox.gallery], store: store, modelPath: IndexedExploreTests.tinyModel,
                imagePrecision: precision
            ).backend
            #expect((backend.embedder as? ClipModel)?.vision.precision == precision)
            let finished = DispatchSemaphore(value: 0)
            let outcome = Outcome()
            Thread {
                outcome.set(Result { try backend.reindex { _ in } })
                finished.signal()
            }.start()
            while finished.wait(timeout: .now() + 0.02) == .timedOut {
                _ = try backend.search(text: "a red photo", language: .english, limit: 50)
            }
            #expect(try outcome.result?.get().photos == 12)
            rankings.append(try backend.search(text: "a red photo", language: .english, limit: 50).map(\.fileName))
        }
        #expect(rankings[0].count == 12)
        #expect(rankings[0] == rankings[1])
    }
}
