import Cells
import PicseekCore
import Testing

@testable import Explorer

/// Another process (`picseek watch`) changed the index while the explorer is open.
@Suite("explorer follows index changes from outside")
struct IndexChangedTests {
    @Test("a change re-reads the counts and runs the query on screen again")
    func rerunsQuery() {
        var state = Fixtures.state()
        Fixtures.send(&state, msgs: Fixtures.typing("cat"))
        Fixtures.send(&state, .searchResults(seq: 3, hits: Fixtures.hits(2)))
        #expect(
            Fixtures.send(&state, .indexChanged)
                == [.loadSummary, .search(seq: 4, query: "cat", language: .english)])
    }

    @Test("a user browsing the results keeps their place: only the counts refresh")
    func browsingKeepsPlace() {
        var state = Fixtures.state()
        Fixtures.send(&state, msgs: Fixtures.typing("cat"))
        Fixtures.send(&state, .keyPressed(.escape), .searchResults(seq: 3, hits: Fixtures.hits(5)))
        Fixtures.send(&state, .keyPressed(.character("l")))
        #expect(Fixtures.send(&state, .indexChanged) == [.loadSummary])
        #expect(state.selection == 1)
    }

    @Test("during the explorer's own reindex a change is left to the reindex's refreshes")
    func ignoredWhileReindexing() {
        var state = Fixtures.state()
        Fixtures.send(&state, .reindexRequested)
        #expect(Fixtures.send(&state, .indexChanged) == [])
    }
}
