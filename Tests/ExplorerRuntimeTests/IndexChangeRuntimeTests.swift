import Explorer
import Foundation
import Testing

// In the pseudo-terminal suite: ncurses is process-wide, so these runs must not
// overlap with its other tests (the suite is serialized).
extension ExplorerRuntimeTests {
    @Test("photos added by another process update the open explorer's count and results")
    func followsOutsideChanges() throws {
        let backend = TestBackend(names: Self.names)
        let harness = try ExplorerHarness(rows: 24, columns: 90, backend: backend)
        #expect(harness.waitFor("6 photos"))
        harness.type("cat")
        #expect(harness.waitFor("0.31 cat.jpg"))
        let searches = backend.searches.count
        backend.addPhotoFromOutside()
        // The runtime asks every 2 s; allow for a loaded machine.
        #expect(harness.waitFor("7 photos", seconds: 15))
        #expect(harness.waitFor(seconds: 15) { _ in backend.searches.count > searches })
        #expect(backend.searches.last?.0 == "cat")
        harness.pressEscape()
        harness.type("q")
        #expect(harness.waitForExit())
    }
}
