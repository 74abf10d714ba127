import Foundation
import Testing

@testable import ExplorerRuntime

/// Photos of a named root this machine does not mount reach the explorer as `name:relative`.
@Suite("opening photos of roots not mounted here")
struct OpenerRootTests {
    @Test("a photo of a root not mounted here is not opened, and the message says why")
    func notMounted() throws {
        let error = try #require(throws: OpenerError.self) {
            try Opener(command: ["false"]).open(Array("nas:2024/beach.jpg".utf8)) { _ in }
        }
        guard case .notMounted(let root, let path) = error else {
            Issue.record("expected notMounted, got \(error)")
            return
        }
        #expect(root == "nas" && path == "nas:2024/beach.jpg")
        #expect(
            error.description
                == "cannot open nas:2024/beach.jpg: the root nas is not mounted on this machine "
                + "(picseek index --root-name nas FOLDER records where it is)")
        // Absolute paths, even with a colon, are ordinary photos.
        #expect(Opener.unmountedRoot(Array("/mnt/a:b/c.jpg".utf8)) == nil)
        #expect(Opener.unmountedRoot(Array("nas:x.jpg".utf8)) == "nas")
    }
}
