import Foundation
import PicseekCore
import Testing

@testable import Library

/// The logic the commands hand their parsed options to: the search request, the watch
/// unit's command line, the doctor's summary.
@Suite("command logic")
struct CommandLogicTests {
    @Test("a search's options become the request: limits, language, cutoff, unbounded dates")
    func searchRequest() throws {
        var search = SearchInvocation()
        search.top = 3
        search.language = .chinese
        search.noTemplate = true
        search.minRatio = 0.5
        search.order = .newest
        let open = try DateBounds(since: nil, until: nil)
        let request = search.request(likeID: nil, terms: [], folder: [0x2F, 0x70], dates: open)
        #expect(request.top == 3)
        #expect(request.language == .chinese)
        #expect(!request.useTemplates)
        #expect(request.folder == [0x2F, 0x70])
        #expect(request.dates == nil)
        #expect(request.cutoff == .ratio(0.5))
        #expect(request.order == .newest)
        guard case .terms(let terms) = request.query else {
            Issue.record("expected a terms query, got \(request.query)")
            return
        }
        #expect(terms.isEmpty)
    }

    @Test("--like searches by the photo's id, --within cuts by distance, dates are kept")
    func likeRequest() throws {
        var search = SearchInvocation()
        search.within = 0.1
        let may = try DateBounds(since: "2024-05", until: "2024-05")
        let request = search.request(likeID: 42, terms: [], folder: nil, dates: may)
        #expect(request.cutoff == .delta(0.1))
        #expect(request.dates == may)
        #expect(request.useTemplates)
        guard case .similarTo(let id) = request.query else {
            Issue.record("expected a similar-to query, got \(request.query)")
            return
        }
        #expect(id == 42)
    }

    @Test("the watch unit's command line has the database and only options set")
    func watchArguments() throws {
        let plain = try ServiceUnit.watchArguments(
            executable: "/bin/picseek", database: "/d/index.sqlite", model: nil, exclude: [],
            includeHidden: false, rescanMinutes: 10, imagePrecision: nil, folders: [])
        #expect(plain == ["/bin/picseek", "watch", "--db", "/d/index.sqlite"])
        let folder = FileManager.default.temporaryDirectory.path
        let full = try ServiceUnit.watchArguments(
            executable: "/bin/picseek", database: "/d/i", model: "m", exclude: ["*.tmp", "x"],
            includeHidden: true, rescanMinutes: 2.5, imagePrecision: "bf16", folders: [folder])
        let canonical = String(decoding: try RawPath.typedFolder(folder), as: UTF8.self)
        #expect(
            full == [
                "/bin/picseek", "watch", "--db", "/d/i", "--model", "m", "--exclude", "*.tmp",
                "--exclude", "x", "--include-hidden", "--rescan-minutes", "2.5",
                "--image-precision", "bf16", canonical,
            ])
    }

    @Test("the watch unit refuses a folder that does not exist")
    func watchArgumentsMissingFolder() {
        #expect(throws: TypedPathError.self) {
            try ServiceUnit.watchArguments(
                executable: "/bin/picseek", database: "/d/i", model: nil, exclude: [],
                includeHidden: false, rescanMinutes: 10, imagePrecision: nil,
                folders: ["/no/such/folder/picseek-test"])
        }
    }

    @Test("the doctor's summary counts problems and says what --repair does")
    func doctorSummary() {
        #expect(IndexDoctor.summaryLine(problems: 0, repair: false) == "no problems found")
        #expect(
            IndexDoctor.summaryLine(problems: 1, repair: false)
                == "1 problem found; picseek doctor --repair fixes what it can")
        #expect(
            IndexDoctor.summaryLine(problems: 3, repair: true)
                == "3 problems found; repaired what could be")
    }
}
