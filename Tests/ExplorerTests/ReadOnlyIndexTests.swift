import Cells
import PicseekCore
import Testing

@testable import Explorer

/// An index that cannot be written (read-only mount, full disk): the status line says so and
/// reindexing is refused with the reason, searching goes on.
@Suite("explorer over a read-only index")
struct ReadOnlyIndexTests {
    static var readOnly: IndexSummary {
        var summary = IndexSummary(photos: 120, errors: 0, modelName: "clip-a", roots: ["/photos"])
        summary.readOnlyReason = "its file system is mounted read-only"
        return summary
    }

    @Test("the status line says read-only index")
    func statusLine() {
        var state = Fixtures.state(rows: 12, columns: 70)
        Fixtures.send(&state, .summaryLoaded(Self.readOnly), .keyPressed(.escape))
        #expect(
            view(state).lines[11].contains("120 photos · read-only index"),
            "\(view(state).lines[11])")
    }

    @Test("r and a requested reindex are refused with the reason; search still runs")
    func reindexDisabled() {
        var state = Fixtures.state(rows: 12, columns: 70)
        Fixtures.send(&state, .summaryLoaded(Self.readOnly), .keyPressed(.escape))
        #expect(Fixtures.send(&state, .keyPressed(.character("r"))) == [])
        #expect(!state.reindexing)
        #expect(state.message?.isError == true)
        #expect(
            state.message?.text
                == "reindex disabled: read-only index (its file system is mounted read-only)")
        #expect(Fixtures.send(&state, .reindexRequested) == [])
        Fixtures.send(&state, .keyPressed(.character("/")))
        let effects = Fixtures.send(&state, msgs: Fixtures.typing("cat"))
        #expect(effects.last == .search(seq: 3, query: "cat", language: .english))
    }
}
