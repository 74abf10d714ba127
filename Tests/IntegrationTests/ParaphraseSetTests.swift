import Foundation
import Library
import Testing

/// The repository checkout this file belongs to.
private let checkout = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

private func readText(_ relative: String) throws -> String {
    try String(contentsOf: checkout.appendingPathComponent(relative), encoding: .utf8)
}

private func jsonLines(_ relative: String) throws -> [[String: Any]] {
    try readText(relative).split(separator: "\n").map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else { throw ManifestError(line: String(line)) }
        return object
    }
}

/// Lower-case words (runs of letters and digits joined by ' or -), as
/// `scripts/demo/evaluate.py` (`novel_tokens`) takes them.
private func words(_ text: String) -> Set<String> {
    let lower = text.lowercased()
    guard let pattern = try? NSRegularExpression(pattern: "[a-z0-9]+(?:['-][a-z0-9]+)*") else {
        return []
    }
    let range = NSRange(lower.startIndex..., in: lower)
    return Set(
        pattern.matches(in: lower, range: range).compactMap { match in
            Range(match.range, in: lower).map { String(lower[$0]) }
        })
}

/// CJK ideographs (U+3400–U+9FFF).
private func ideographs(_ text: String) -> Set<Character> {
    Set(
        text.filter { c in
            c.unicodeScalars.allSatisfy { $0.value >= 0x3400 && $0.value <= 0x9FFF }
        })
}

@Suite("The demo model's paraphrase set")
struct ParaphraseSetTests {
    static let paraphrases = "models/picseek-demo/eval/paraphrases.jsonl"
    static let captions = "models/picseek-demo/eval/captions.jsonl"

    /// The caption generator writes only the text of its string literals, joined at word
    /// boundaries, so a query with a word or a Chinese character that appears nowhere in
    /// scenes.py (not even in a comment) is a phrasing the generator cannot produce.
    @Test("no paraphrase, English or Chinese, can be a caption of the scene generator")
    func neverGenerated() throws {
        let source = try readText("scripts/demo/scenes.py")
        let knownWords = words(source)
        let knownIdeographs = ideographs(source)
        let rows = try jsonLines(Self.paraphrases)
        #expect(rows.count >= 80)
        for (number, row) in rows.enumerated() {
            for language in ["en", "zh"] {
                let query = row[language] as? String ?? ""
                #expect(!query.isEmpty, "line \(number + 1) has no \(language) query")
                let novel =
                    words(query).subtracting(knownWords).count
                    + ideographs(query).subtracting(knownIdeographs).count
                #expect(novel > 0, "line \(number + 1): every word of \(query) is in scenes.py")
            }
        }
    }

    @Test("each paraphrase's matches are the held-out images its stated attributes pick")
    func matchesFollowTheHitRule() throws {
        let gallery = try jsonLines(Self.captions).map { row in
            GalleryScene(
                image: row["image"] as? String ?? "", english: "", chinese: "",
                attributes: row["attributes"] as? [String: Any] ?? [:], mentioned: [:])
        }
        #expect(gallery.count == 600)
        for (number, row) in try jsonLines(Self.paraphrases).enumerated() {
            let mentioned = row["mentioned"] as? [String: Any] ?? [:]
            let expected = gallery.filter { $0.shows(mentioned) }.map(\.image)
            #expect(!expected.isEmpty, "line \(number + 1) matches no image")
            #expect(row["matches"] as? [String] == expected, "line \(number + 1)")
        }
    }

    @Test("picseek eval reads the paraphrase set against the held-out captions file")
    func readsAsQuerySet() throws {
        let set = try CaptionsFile(path: checkout.appendingPathComponent(Self.captions).path)
        let queries = try QuerySet(path: checkout.appendingPathComponent(Self.paraphrases).path)
        let matches = try queries.matchIndices(in: set)
        #expect(matches.count == queries.lines.count)
        #expect(matches.allSatisfy { !$0.isEmpty })
        #expect(try RetrievalEvaluation.queries(of: queries).map(\.language) == ["en", "zh"])
    }
}
