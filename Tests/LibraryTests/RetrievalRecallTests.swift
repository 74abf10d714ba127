import Foundation
import Testing

@testable import Library

@Suite("Retrieval recall")
struct RetrievalRecallTests {
    @Test("the rank of the best match counts higher scores and earlier equal scores")
    func bestRank() {
        let scores: [Float] = [0.1, 0.9, 0.5, 0.9, 0.3]
        #expect(RetrievalRecall.bestRank(scores: scores, matches: [1]) == 0)
        // Image 3 ties with image 1, which comes first in file order.
        #expect(RetrievalRecall.bestRank(scores: scores, matches: [3]) == 1)
        #expect(RetrievalRecall.bestRank(scores: scores, matches: [0]) == 4)
        #expect(RetrievalRecall.bestRank(scores: scores, matches: [0, 4, 2]) == 2)
        #expect(RetrievalRecall.bestRank(scores: scores, matches: []) == nil)
        #expect(RetrievalRecall.bestRank(scores: scores, matches: [7]) == nil)
    }

    @Test("recall at 1 and 5 on a hand-made matrix")
    func handMade() {
        // 4 queries over 6 images.
        let scores: [[Float]] = [
            [0.9, 0.1, 0.2, 0.3, 0.4, 0.5], // match 0 is first: hit at 1 and 5
            [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], // match 5 is sixth: miss at both
            [0.2, 0.2, 0.2, 0.2, 0.2, 0.2], // all tied: match 4 is fifth by file order
            [0.1, 0.6, 0.6, 0.0, 0.0, 0.0], // matches 2 (second, after tie) and 3: hit at 5 only
        ]
        let matches = [[0], [5], [4], [3, 2]]
        let r = RetrievalRecall.recall(scores: scores, matches: matches, ks: [1, 5])
        #expect(r[1] == 0.25)
        #expect(r[5] == 0.75)
    }

    @Test("a query whose tie falls after the fifth place is a miss at 5")
    func tieOrder() {
        let scores: [[Float]] = [[0.2, 0.2, 0.2, 0.2, 0.2, 0.2]]
        #expect(RetrievalRecall.recall(scores: scores, matches: [[5]], ks: [5])[5] == 0)
        #expect(RetrievalRecall.recall(scores: scores, matches: [[5]], ks: [6])[6] == 1)
    }
}

@Suite("Captions file")
struct CaptionsFileTests {
    private func parse(_ text: String) throws -> CaptionsFile {
        try CaptionsFile(data: Data(text.utf8), file: "c.jsonl")
    }

    @Test("lines keep file order, captions by language and matches as indices")
    func parses() throws {
        let set = try parse(
            """
            {"image": "a.jpg", "en": "a red circle", "zh": "一个红色圆形", "matches": ["a.jpg", "b.jpg"], "attributes": {"n": 1}}

            {"image": "b.jpg", "en": "a blue star", "zh": "一个蓝色五角星", "matches": ["b.jpg"]}
            """)
        #expect(set.lines.map(\.image) == ["a.jpg", "b.jpg"])
        #expect(set.lines.map(\.lineNumber) == [1, 3])
        #expect(set.lines[0].captions == ["en": "a red circle", "zh": "一个红色圆形"])
        #expect(try set.matchIndices() == [[0, 1], [1]])
        #expect(try set.captions("zh").get() == ["一个红色圆形", "一个蓝色五角星"])
    }

    @Test("bad lines are errors naming the file and line")
    func errors() throws {
        #expect(
            throws: CaptionsFileError.badLine(file: "c.jsonl", line: 2, reason: "not valid JSON")
        ) {
            try parse("{\"image\": \"a\", \"matches\": []}\n{oops")
        }
        #expect(
            throws: CaptionsFileError.badLine(
                file: "c.jsonl", line: 1, reason: "no \"matches\" list of strings")
        ) {
            try parse("{\"image\": \"a\"}")
        }
        #expect(
            throws: CaptionsFileError.badLine(
                file: "c.jsonl", line: 2, reason: "image a already appears on line 1")
        ) {
            try parse("{\"image\": \"a\", \"matches\": []}\n{\"image\": \"a\", \"matches\": []}")
        }
        #expect(throws: CaptionsFileError.empty(file: "c.jsonl")) { try parse("\n\n") }
        let set = try parse("{\"image\": \"a\", \"en\": \"x\", \"matches\": [\"zz\"]}")
        #expect(throws: CaptionsFileError.unknownMatch(file: "c.jsonl", line: 1, image: "zz")) {
            try set.matchIndices()
        }
        #expect(throws: CaptionsFileError.missingCaption(file: "c.jsonl", line: 1, language: "zh"))
        {
            try set.captions("zh").get()
        }
    }
}
