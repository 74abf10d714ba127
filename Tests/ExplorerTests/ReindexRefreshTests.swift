import Cells
import PicseekCore
import Testing

@testable import Explorer

/// Counts and results refresh while a reindex runs, without disturbing browsing.
@Suite("explorer refresh during a reindex")
struct ReindexRefreshTests {
    @Test("every tenth of the run re-reads the counts and runs the query again")
    func refreshesInSteps() {
        var state = Fixtures.state()
        Fixtures.send(&state, msgs: Fixtures.typing("cat"))
        Fixtures.send(&state, .searchResults(seq: 3, hits: Fixtures.hits(2)))
        #expect(Fixtures.send(&state, .reindexRequested) == [.reindex])
        #expect(Fixtures.send(&state, .indexProgress(IndexProgress(done: 40, total: 1000))) == [])
        #expect(
            Fixtures.send(&state, .indexProgress(IndexProgress(done: 100, total: 1000)))
                == [.loadSummary, .search(seq: 4, query: "cat", language: .english)])
        // While that search runs, only the counts refresh.
        #expect(
            Fixtures.send(&state, .indexProgress(IndexProgress(done: 200, total: 1000))) == [
                .loadSummary
            ])
        #expect(Fixtures.send(&state, .indexProgress(IndexProgress(done: 250, total: 1000))) == [])
    }

    @Test("a small run refreshes at least every 32 photos")
    func smallRunStep() {
        var state = Fixtures.state()
        Fixtures.send(&state, .reindexRequested)
        #expect(Fixtures.send(&state, .indexProgress(IndexProgress(done: 31, total: 60))) == [])
        #expect(
            Fixtures.send(&state, .indexProgress(IndexProgress(done: 32, total: 60))) == [
                .loadSummary
            ])
    }

    @Test("a user browsing the results keeps their place: counts refresh, results do not")
    func browsingKeepsPlace() {
        var state = Fixtures.state()
        Fixtures.send(&state, msgs: Fixtures.typing("cat"))
        Fixtures.send(&state, .keyPressed(.escape), .searchResults(seq: 3, hits: Fixtures.hits(5)))
        Fixtures.send(&state, .keyPressed(.character("l")), .reindexRequested)
        #expect(state.selection == 1)
        #expect(
            Fixtures.send(&state, .indexProgress(IndexProgress(done: 500, total: 1000))) == [
                .loadSummary
            ])
        #expect(state.selection == 1)
    }
}
