import Foundation
import PicseekCore
import PicseekTestSupport
import Store
import Tensor
import Testing

@testable import Library

/// Photos whose bytes are their captions, so the fake model maps the text
/// "red car" exactly onto the photo containing "red car".
private func captionedLibrary() throws -> IndexFixture {
    let f = try IndexFixture(embedder: FakeEmbedder(dimension: 16))
    f.tree.write("2019/red car.jpg", "red car")
    f.tree.write("2019/blue sea.jpg", "blue sea")
    f.tree.write("2023/green tree.jpg", "green tree")
    f.tree.write("2023/red car again.jpg", "red car!")
    f.tree.write("2023/yellow sun.jpg", "yellow sun")
    f.tree.setMtime("2019/red car.jpg", seconds: 1_560_000_000) // mid 2019
    f.tree.setMtime("2019/blue sea.jpg", seconds: 1_560_000_000)
    for name in ["2023/green tree.jpg", "2023/red car again.jpg", "2023/yellow sun.jpg"] {
        f.tree.setMtime(name, seconds: 1_690_000_000) // mid 2023
    }
    _ = try f.index()
    return f
}

@Suite("Search engine")
struct SearchEngineTests {
    @Test("a text query ranks the matching photo first with score 1 and sorts by score")
    func textQuery() throws {
        let f = try captionedLibrary()
        let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        var request = SearchRequest(query: .text("blue sea"))
        request.top = 3
        let hits = try engine.search(request)
        #expect(hits.count == 3)
        #expect(RawPath.baseName(hits[0].pathBytes) == Array("blue sea.jpg".utf8))
        #expect(abs(hits[0].score - 1) < 1e-5)
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
    }

    @Test("both scoring methods give the same hits, filters included")
    func methodsAgree() throws {
        let f = try captionedLibrary()
        var results: [[Int64]] = []
        for scoring in ScoringMethod.allCases {
            let engine = SearchEngine(
                store: f.store, embedder: f.embedder, templates: .none, scoring: scoring)
            var request = SearchRequest(query: .text("red car + 0.5:blue sea"))
            request.top = 4
            results.append(try engine.search(request).map(\.photoID))
            request.folder = f.stored("2023")
            results.append(try engine.search(request).map(\.photoID))
        }
        #expect(results.count == 2 * ScoringMethod.allCases.count)
        #expect(results[0].count == 4 && results[1].count == 3)
        for i in stride(from: 2, to: results.count, by: 2) {
            #expect(results[i] == results[0])
            #expect(results[i + 1] == results[1])
        }
    }

    @Test("templates wrap text per language before embedding")
    func templatesApplied() throws {
        let f = try captionedLibrary()
        let engine = SearchEngine(store: f.store, embedder: f.embedder)
        _ = try engine.search(SearchRequest(query: .text("cat + 猫")))
        #expect(f.embedder.textLog == ["a photo of cat", "一张猫的照片"])
        var request = SearchRequest(query: .text("dog"))
        request.language = .chinese
        _ = try engine.search(request)
        #expect(f.embedder.textLog.last == "一张dog的照片")
    }

    @Test("subtracting a term pushes its photo down and keeps the positive one first")
    func negative() throws {
        let f = try captionedLibrary()
        let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        var request = SearchRequest(query: .text("green tree"))
        request.top = 5
        let sun = Array("yellow sun.jpg".utf8)
        let plain = try engine.search(request)
        request.query = .text("green tree - yellow sun")
        let minus = try engine.search(request)
        let before = try #require(plain.first { RawPath.baseName($0.pathBytes) == sun })
        let after = try #require(minus.first { RawPath.baseName($0.pathBytes) == sun })
        // q = unit(tree - sun): score(sun) = (tree·sun - 1)/|tree - sun| < 0.
        #expect(after.score < 0)
        #expect(after.score < before.score)
        #expect(RawPath.baseName(minus[0].pathBytes) == Array("green tree.jpg".utf8))
        // Weights change the mix: a heavy negative term sinks the sun to the bottom.
        request.query = .text("green tree - 5:yellow sun")
        #expect(try RawPath.baseName(engine.search(request).last?.pathBytes ?? []) == sun)
    }

    @Test("folder and date filters narrow the hits")
    func filters() throws {
        let f = try captionedLibrary()
        let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        var request = SearchRequest(query: .text("red car"))
        request.top = 10
        request.folder = f.stored("2023")
        let inFolder = try engine.search(request)
        #expect(inFolder.count == 3)
        #expect(inFolder.allSatisfy { RawPath.isUnder($0.pathBytes, f.stored("2023")) })

        request.folder = nil
        request.dates = try DateBounds(since: nil, until: "2020")
        let old = try engine.search(request)
        #expect(
            Set(old.map { RawPath.baseName($0.pathBytes) })
                == [Array("red car.jpg".utf8), Array("blue sea.jpg".utf8)])
        #expect(old.allSatisfy { $0.date?.hasPrefix("2019") == true })
    }

    @Test("newest and oldest order the best hits by date, equal dates by score")
    func dateOrder() throws {
        let f = try captionedLibrary()
        let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        var request = SearchRequest(query: .text("red car"))
        request.top = 4
        let byScore = try engine.search(request)
        request.order = .newest
        let newest = try engine.search(request)
        request.order = .oldest
        let oldest = try engine.search(request)
        // The same four photos, re-ordered.
        #expect(Set(newest.map(\.photoID)) == Set(byScore.map(\.photoID)))
        #expect(Set(oldest.map(\.photoID)) == Set(byScore.map(\.photoID)))
        #expect(newest.first?.date?.hasPrefix("2023") == true)
        #expect(newest.last?.date?.hasPrefix("2019") == true)
        #expect(oldest.first?.date?.hasPrefix("2019") == true)
        #expect(oldest.last?.date?.hasPrefix("2023") == true)
        for list in [newest, oldest] {
            for (a, b) in zip(list, list.dropFirst()) where a.date == b.date {
                #expect(a.score >= b.score)
            }
        }
        #expect(newest != byScore)
    }

    @Test("the relative cutoff keeps only hits near the best")
    func cutoff() throws {
        let f = try captionedLibrary()
        let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        var request = SearchRequest(query: .text("green tree"))
        request.top = 5
        let all = try engine.search(request)
        #expect(all.count == 5)
        request.cutoff = .delta(0.0001)
        #expect(try engine.search(request).count == 1)
        request.cutoff = .ratio(-10)
        #expect(try engine.search(request).count == 5)
        let threshold = all[2].score
        request.cutoff = .delta(all[0].score - threshold)
        #expect(try engine.search(request).count == all.filter { $0.score >= threshold }.count)
    }

    @Test("more like this uses the photo's stored vector and leaves it out")
    func similar() throws {
        let f = try captionedLibrary()
        let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        let photo = try #require(try f.store.photo(path: f.stored("2019/red car.jpg")))
        var request = SearchRequest(query: .similarTo(photoID: photo.id))
        request.top = 10
        let hits = try engine.search(request)
        #expect(hits.count == 4)
        #expect(!hits.contains { $0.photoID == photo.id })
        #expect(throws: SearchError.self) {
            try engine.search(SearchRequest(query: .similarTo(photoID: 999_999)))
        }
    }

    @Test("an image path term is embedded through the processor")
    func imageTerm() throws {
        let f = try captionedLibrary()
        let probe = f.tree.write("probe.bin", "yellow sun")
        let engine = SearchEngine(
            store: f.store, embedder: f.embedder, processor: Fakes.processor, templates: .none)
        let path = String(decoding: probe, as: UTF8.self)
        let hits = try engine.search(SearchRequest(query: .terms([QueryTerm(.image(path: path))])))
        #expect(RawPath.baseName(hits[0].pathBytes) == Array("yellow sun.jpg".utf8))
        #expect(abs(hits[0].score - 1) < 1e-5)
        let noPipeline = SearchEngine(store: f.store, embedder: f.embedder)
        #expect(throws: SearchError.self) {
            try noPipeline.search(SearchRequest(query: .terms([QueryTerm(.image(path: path))])))
        }
        #expect(throws: SearchError.self) {
            try engine.search(SearchRequest(query: .text("/no/such/file.jpg")))
        }
    }

    @Test("an image term naming a FIFO fails at once with a clear error, not waiting for a writer")
    func fifoImageTerm() throws {
        let f = try captionedLibrary()
        let path = f.tree.rootString + "/pipe.jpg"
        #expect(mkfifo(path, 0o644) == 0)
        let engine = SearchEngine(
            store: f.store, embedder: f.embedder, processor: Fakes.processor, templates: .none)
        let outcome = Locked<Result<[Hit], any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            outcome.value = Result {
                try engine.search(SearchRequest(query: .terms([QueryTerm(.image(path: path))])))
            }
            done.signal()
        }.start()
        if done.wait(timeout: .now() + 10) == .timedOut {
            // Release a reader blocked in open(2) so the thread can end, then fail.
            let writer = open(path, O_WRONLY | O_NONBLOCK)
            if writer >= 0 { close(writer) }
            Issue.record("reading the FIFO did not return within 10 s")
            return
        }
        guard case .failure(let error)? = outcome.value else {
            Issue.record("expected an error, got \(String(describing: outcome.value))")
            return
        }
        guard case .badImageTerm(let shown, let reason)? = error as? SearchError else {
            Issue.record("expected badImageTerm, got \(error)")
            return
        }
        #expect(shown == path)
        #expect(reason == "not a regular file")
    }

    @Test("the engine reloads its matrix when the index changes, and only then")
    func refresh() throws {
        let f = try captionedLibrary()
        let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        #expect(try engine.refresh())
        #expect(try !engine.refresh())
        #expect(engine.count == 5)
        f.tree.write("new.jpg", "purple rain")
        _ = try f.index()
        #expect(try engine.refresh())
        #expect(engine.count == 6)
    }

    @Test("terms that cancel out and a model without vectors are clear errors")
    func errors() throws {
        let f = try captionedLibrary()
        let engine = SearchEngine(store: f.store, embedder: f.embedder, templates: .none)
        #expect(throws: SearchError.self) {
            try engine.search(SearchRequest(query: .text("cat - cat")))
        }
        let other = SearchEngine(store: f.store, embedder: FakeEmbedder(name: "unindexed"))
        #expect(throws: SearchError.self) { try other.search(SearchRequest(query: .text("x"))) }
        let changed = SearchEngine(
            store: f.store, embedder: FakeEmbedder(dimension: 16, fingerprint: "other"))
        #expect(throws: SearchError.self) { try changed.search(SearchRequest(query: .text("x"))) }
    }
}
