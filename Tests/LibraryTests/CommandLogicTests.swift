import Foundation
import PicseekCore
import PicseekTestSupport
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
            includeHidden: true, rescanMinutes: 2.5, imagePrecision: "bf16", folders: [folder],
            ocr: ["--no-ocr", "--ocr-budget", "5.0"])
        let canonical = String(decoding: try RawPath.typedFolder(folder), as: UTF8.self)
        #expect(
            full == [
                "/bin/picseek", "watch", "--db", "/d/i", "--model", "m", "--exclude", "*.tmp",
                "--exclude", "x", "--include-hidden", "--rescan-minutes", "2.5",
                "--image-precision", "bf16", "--no-ocr", "--ocr-budget", "5.0", canonical,
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

    @Test("embed prints one line per input in order and stops at the first that fails")
    func embedRun() {
        var lines: [String] = []
        let inputs: [EmbedInput] = [.text("cat"), .image("/p/a.jpg"), .text("dog")]
        #expect(throws: Never.self) {
            try EmbeddingText.run(
                inputs, json: false, embedText: { _ in [1, 0] }, embedImage: { _ in [0, 1] },
                output: { lines.append($0) })
        }
        #expect(lines.count == 3)
        #expect(lines.first == EmbeddingText.plain(key: "text", value: "cat", vector: [1, 0]))
        #expect(lines[1] == EmbeddingText.plain(key: "image", value: "/p/a.jpg", vector: [0, 1]))
        lines = []
        struct Unreadable: Error, CustomStringConvertible {
            var description: String { "not a photo" }
        }
        do {
            try EmbeddingText.run(
                inputs, json: true, embedText: { _ in [1] },
                embedImage: { _ in throw Unreadable() }, output: { lines.append($0) })
            Issue.record("the image that cannot be read must stop the run")
        } catch {
            #expect(error.description == "image /p/a.jpg: not a photo")
        }
        #expect(lines == [EmbeddingText.json(key: "text", value: "cat", vector: [1])])
    }

    @Test("eval checks the captions, then loads the model once and names it in the report")
    func evalReport() throws {
        let jsonl = """
            {"image": "a.jpg", "en": "red car", "matches": ["a.jpg"]}
            {"image": "b.jpg", "en": "blue sea", "matches": ["b.jpg"]}
            """
        let set = try CaptionsFile(data: Data(jsonl.utf8), file: "captions.jsonl")
        let evaluation = RetrievalEvaluation(set: set, path: "/e/captions.jsonl")
        var loads = 0
        var processed: [String] = []
        let report = try evaluation.report(matches: try set.matchIndices(), json: false) {
            loads += 1
            return FakeEmbedder(name: "fake")
        } process: { path, spec in
            processed.append(path)
            return ProcessedPhoto(
                input: (0..<48).map { Float($0 + processed.count) / 48 },
                thumbnail: RGBImage(width: 1, height: 1, pixels: [0, 0, 0]),
                metadata: PhotoMetadata(width: 1, height: 1))
        }
        #expect(loads == 1)
        #expect(processed == ["/e/a.jpg", "/e/b.jpg"])
        let lines = report.split(separator: "\n").map(String.init)
        #expect(lines.first == "model fake, 2 images, 2 captions per language")
        #expect(lines.count == 3 && lines[2].hasPrefix("en"))
    }

    @Test("watch events go line by line to standard output or, for trouble, standard error")
    func watchEventStreams() {
        var output: [String] = []
        var errors: [String] = []
        let watching = WatchEvent.watching(roots: 1, folders: 3)
        WatchEventText.write(watching, output: { output.append($0) }, error: { errors.append($0) })
        #expect(output == WatchEventText.lines(watching).map(\.text))
        #expect(output.first?.hasPrefix("watching 3 folders under 1 root") == true)
        #expect(errors.isEmpty)
        output = []
        let gone = WatchEvent.rootGone(Array("/gone".utf8))
        WatchEventText.write(gone, output: { output.append($0) }, error: { errors.append($0) })
        #expect(output.isEmpty)
        #expect(!errors.isEmpty && errors == WatchEventText.lines(gone).map(\.text))
    }
}
