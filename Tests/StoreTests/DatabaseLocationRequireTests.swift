import Foundation
import PicseekCore
import Testing

@testable import Store

@Suite("database location rules")
struct DatabaseLocationRequireTests {
    @Test("without --db, PICSEEK_DB, XDG_DATA_HOME or HOME there is no location, and it says so")
    func noLocation() {
        #expect(throws: DatabaseLocationError.noLocation) {
            try DatabaseLocation.require(explicit: nil, environment: [:])
        }
        #expect(
            DatabaseLocationError.noLocation.description
                == "no database location: set --db, PICSEEK_DB or HOME")
        #expect(
            (try? DatabaseLocation.require(explicit: nil, environment: ["HOME": "/h"]))
                == "/h/.local/share/picseek/index.sqlite")
    }

    @Test("an index that is not there is refused with how to make one, the path escaped")
    func missingIndex() throws {
        let missing = NSTemporaryDirectory() + "picseek-none-\(UUID().uuidString).sqlite"
        #expect(throws: DatabaseLocationError.noIndex(missing)) {
            try DatabaseLocation.existing(missing)
        }
        let odd = DatabaseLocationError.noIndex("/a\u{1B}b").description
        let escaped = TerminalSafe.escape("/a\u{1B}b")
        #expect(odd == "no index at \(escaped); run picseek index PATH first")
        #expect(!odd.contains("\u{1B}"))
        let present = NSTemporaryDirectory() + "picseek-here-\(UUID().uuidString).sqlite"
        try Data().write(to: URL(fileURLWithPath: present))
        defer { try? FileManager.default.removeItem(atPath: present) }
        #expect(try DatabaseLocation.existing(present) == present)
    }
}
