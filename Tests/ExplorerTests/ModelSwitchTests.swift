import Cells
import PicseekCore
import Testing

@testable import Explorer

/// Switching the model that answers searches (`m`), as updates and text grids.
@Suite("explorer model switching")
struct ModelSwitchTests {
    static let twoModels = IndexSummary(
        photos: 120, errors: 0, modelName: "clip-a", roots: ["/photos"],
        models: ["clip-a", "clip-b"])

    @Test("m asks for the next model with vectors, then wraps around")
    func cyclesModels() {
        var state = Fixtures.state()
        Fixtures.send(&state, .summaryLoaded(Self.twoModels), .keyPressed(.escape))
        #expect(
            Fixtures.send(&state, .keyPressed(.character("m"))) == [.switchModel(name: "clip-b")])
        #expect(state.switchingModel)
        #expect(state.message?.text == "loading model clip-b…")
        // A second m while loading does not start another load.
        #expect(Fixtures.send(&state, .keyPressed(.character("m"))) == [])
        var switched = Self.twoModels
        switched.modelName = "clip-b"
        Fixtures.send(&state, .modelSwitched(switched))
        #expect(!state.switchingModel)
        #expect(state.summary?.modelName == "clip-b")
        #expect(
            Fixtures.send(&state, .keyPressed(.character("m"))) == [.switchModel(name: "clip-a")])
    }

    @Test("after a switch the current query runs again, with the new model's scores")
    func rerunsQuery() {
        var state = Fixtures.state()
        Fixtures.send(&state, .summaryLoaded(Self.twoModels))
        Fixtures.send(&state, msgs: Fixtures.typing("dog"))
        Fixtures.send(&state, .keyPressed(.escape), .searchResults(seq: 3, hits: Fixtures.hits(4)))
        Fixtures.send(&state, .keyPressed(.character("m")))
        var switched = Self.twoModels
        switched.modelName = "clip-b"
        let effects = Fixtures.send(&state, .modelSwitched(switched))
        #expect(effects == [.search(seq: 4, query: "dog", language: .english)])
        #expect(state.searching)
    }

    @Test("with one model, m explains there is nothing to switch to")
    func singleModel() {
        var state = Fixtures.state()
        Fixtures.send(&state, .keyPressed(.escape))
        #expect(Fixtures.send(&state, .keyPressed(.character("m"))) == [])
        #expect(state.message?.text == "no other model has vectors in this index (test-clip)")
        #expect(!state.switchingModel)
    }

    @Test("m types in the query line instead of switching")
    func typedInQuery() {
        var state = Fixtures.state()
        Fixtures.send(&state, .summaryLoaded(Self.twoModels))
        let effects = Fixtures.send(&state, .keyPressed(.character("m")))
        #expect(effects == [.search(seq: 1, query: "m", language: .english)])
        #expect(!state.switchingModel)
    }

    @Test("a failed switch is an error in the status line and the old model stays")
    func failedSwitch() {
        var state = Fixtures.state()
        Fixtures.send(&state, .summaryLoaded(Self.twoModels), .keyPressed(.escape))
        Fixtures.send(&state, .keyPressed(.character("m")), .modelSwitchFailed("weights missing"))
        #expect(!state.switchingModel)
        #expect(state.summary?.modelName == "clip-a")
        #expect(
            state.message == StatusMessage("cannot switch model: weights missing", isError: true))
    }

    @Test("the status line names the model that answers, before and after a switch")
    func statusShowsModel() {
        var state = Fixtures.state(rows: 12, columns: 60)
        Fixtures.send(&state, .summaryLoaded(Self.twoModels), .keyPressed(.escape))
        #expect(
            view(state).lines[11] == " clip-a · EN · 120 photos          ? help  / search  q quit ")
        Fixtures.send(&state, .keyPressed(.character("m")))
        #expect(
            view(state).lines[11] == " clip-a · EN · 120 photos             loading model clip-b… ")
        var switched = Self.twoModels
        switched.modelName = "clip-b"
        Fixtures.send(&state, .modelSwitched(switched))
        #expect(
            view(state).lines[11] == " clip-b · EN · 120 photos                     model: clip-b ")
    }

    @Test("a requested reindex starts like r, and not twice")
    func reindexRequested() {
        var state = Fixtures.state()
        #expect(Fixtures.send(&state, .reindexRequested) == [.reindex])
        #expect(state.reindexing)
        #expect(Fixtures.send(&state, .reindexRequested) == [])
    }

    @Test("nextModel cycles in order and skips a lone current model")
    func nextModel() {
        var summary = Self.twoModels
        #expect(summary.nextModel == "clip-b")
        summary.models = ["clip-a"]
        #expect(summary.nextModel == nil)
        summary.models = ["clip-x", "clip-y"]
        #expect(summary.nextModel == "clip-x")
        summary.models = []
        #expect(summary.nextModel == nil)
    }
}
