import Foundation
import Imaging
import Library
import PicseekCore
import PicseekTestSupport
import Testing

@Suite("Query sets ranked beside a captions file")
struct QuerySetTests {
    static let gallery = """
        {"image": "a.jpg", "en": "red car", "matches": ["a.jpg"]}
        {"image": "b.jpg", "en": "blue sea", "matches": ["b.jpg"]}
        """

    @Test("a query set's matches are indices of the captions file's images")
    func matchIndices() throws {
        let set = try CaptionsFile(data: Data(Self.gallery.utf8), file: "captions.jsonl")
        let queries = try QuerySet(
            data: Data(
                """
                {"en": "a crimson auto", "zh": "红车", "matches": ["a.jpg"]}

                {"en": "the ocean", "zh": "大海", "matches": ["b.jpg", "a.jpg"]}
                """.utf8), file: "paraphrases.jsonl")
        #expect(queries.lines.map(\.lineNumber) == [1, 3])
        #expect(try queries.matchIndices(in: set) == [[0], [1, 0]])
        #expect(try queries.queries("zh").get() == ["红车", "大海"])
    }

    @Test("a match that is no image of the captions file is an error naming both files")
    func unknownMatch() throws {
        let set = try CaptionsFile(data: Data(Self.gallery.utf8), file: "captions.jsonl")
        let queries = try QuerySet(
            data: Data(#"{"en": "x", "matches": ["c.jpg"]}"#.utf8), file: "q.jsonl")
        let error = #expect(throws: CaptionsFileError.self) { try queries.matchIndices(in: set) }
        #expect(
            error?.description == "q.jsonl line 1: match c.jpg is not an image of captions.jsonl")
    }

    @Test("a line without a matches list or a query set without lines is refused")
    func badFiles() {
        let noMatches = #expect(throws: CaptionsFileError.self) {
            try QuerySet(data: Data(#"{"en": "x"}"#.utf8), file: "q.jsonl")
        }
        #expect(noMatches?.description == "q.jsonl line 1: no \"matches\" list of strings")
        let empty = #expect(throws: CaptionsFileError.self) {
            try QuerySet(data: Data("\n\n".utf8), file: "q.jsonl")
        }
        #expect(empty?.description == "captions file q.jsonl has no lines")
    }

    @Test("eval ranks each query set against the same images and reports it after the captions")
    func reportWithQuerySet() throws {
        let set = try CaptionsFile(data: Data(Self.gallery.utf8), file: "captions.jsonl")
        // FakeEmbedder embeds a text by its byte histogram and each image here is the
        // histogram of its caption, so "red car" ranks a.jpg first, where only b.jpg is a
        // hit: R@1 is 1/2, R@5 (both images) is 1.
        let queries = try QuerySet(
            data: Data(
                """
                {"en": "red car", "matches": ["b.jpg"]}
                {"en": "blue sea", "matches": ["b.jpg"]}
                """.utf8), file: "/e/swapped.jsonl")
        let extra = RetrievalEvaluation.ExtraQueries(
            name: "swapped.jsonl", set: queries, matches: try queries.matchIndices(in: set))
        let evaluation = RetrievalEvaluation(set: set, path: "/e/captions.jsonl")
        var processed = 0
        let embedder = FakeEmbedder(name: "fake")
        let report = try evaluation.report(
            matches: try set.matchIndices(), json: true, extra: [extra]
        ) {
            embedder
        } process: { path, _ in
            processed += 1
            let caption = path.hasSuffix("a.jpg") ? "red car" : "blue sea"
            return ProcessedPhoto(
                input: Fakes.histogram(Array(caption.utf8)),
                thumbnail: RGBImage(width: 1, height: 1, pixels: [0, 0, 0]),
                metadata: PhotoMetadata(width: 1, height: 1))
        }
        #expect(processed == 2)
        let object = try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any]
        let sets = object?["query_sets"] as? [[String: Any]]
        #expect(sets?.count == 1)
        #expect(sets?.first?["file"] as? String == "swapped.jsonl")
        #expect(sets?.first?["queries"] as? Int == 2)
        let english = sets?.first?["en"] as? [String: Double]
        #expect(english?["R@1"] == 0.5)
        #expect(english?["R@5"] == 1)
    }

    @Test("the plain report names each query set and gives its rows")
    func plainText() {
        let results = [RetrievalEvaluation.LanguageResult(language: "en", recall: [1: 1, 5: 1])]
        let sets = [
            RetrievalEvaluation.QuerySetResult(
                name: "paraphrases.jsonl", queries: 3,
                results: [
                    RetrievalEvaluation.LanguageResult(language: "en", recall: [1: 0, 5: 2 / 3.0])
                ])
        ]
        #expect(
            RetrievalEvaluation.plainText(model: "demo", images: 2, results: results, sets: sets)
                == "model demo, 2 images, 2 captions per language\n"
                + "language  R@1     R@5\n"
                + "en        1.0000  1.0000\n"
                + "paraphrases.jsonl, 3 queries per language\n"
                + "en        0.0000  0.6667")
    }
}
