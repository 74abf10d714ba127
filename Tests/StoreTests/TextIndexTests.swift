import Foundation
import PicseekCore
import Testing

@testable import Store

private func words(_ lines: [[(String, Float)]]) -> RecognizedText {
    var out: [RecognizedWord] = []
    for (n, line) in lines.enumerated() {
        for (i, (text, confidence)) in line.enumerated() {
            out.append(
                RecognizedWord(
                    text: text, confidence: confidence, x: i * 10, y: n * 20, width: 9, height: 18,
                    line: n))
        }
    }
    return RecognizedText(words: out, languages: "chi_sim+eng")
}

private func hash(_ byte: UInt8) -> [UInt8] { [UInt8](repeating: byte, count: 32) }

private func store(with photos: [(String, UInt8)]) throws -> (IndexStore, ModelRecord) {
    let store = try IndexStore.inMemory()
    let model = try store.registerModel(name: "m", family: "f", dimension: 1, fingerprint: "x")
    _ = try store.apply(
        photos.map { path, byte in
            .embedded(
                FileStamp(path: Array(path.utf8), size: 10, mtimeNs: 1), hash: hash(byte),
                metadata: PhotoMetadata(width: 10, height: 10), vector: [1])
        }, model: model)
    return (store, model)
}

private func paths(_ hits: [TextHit]) -> [String] {
    hits.map { String(decoding: $0.path, as: UTF8.self) }
}

@Suite("Recognised text in the index")
struct TextIndexTests {
    @Test("SQLite has FTS5 with the trigram tokenizer")
    func trigramAvailable() throws {
        let (store, _) = try store(with: [("/p/a.png", 1)])
        try store.putText(words([[("abcdef", 90)]]), for: hash(1))
        #expect(paths(try store.searchText("bcd")) == ["/p/a.png"])
    }

    @Test("a Chinese substring inside a line without spaces finds its photo")
    func chineseSubstring() throws {
        let (store, _) = try store(with: [("/p/sign.png", 1), ("/p/other.png", 2)])
        try store.putText(
            words([
                [("北", 90), ("京", 90), ("站", 90)],
                [("营", 91), ("业", 92), ("时", 93), ("间", 94), ("9:00", 88)],
            ]),
            for: hash(1))
        try store.putText(words([[("会议纪要", 90)]]), for: hash(2))
        let hits = try store.searchText("营业时间")
        #expect(paths(hits) == ["/p/sign.png"])
        #expect(hits.first?.snippet.contains("[营业时间]") == true)
        // Two characters are below a trigram: matched by the substring scan.
        #expect(paths(try store.searchText("北京")) == ["/p/sign.png"])
        #expect(paths(try store.searchText("纪要")) == ["/p/other.png"])
    }

    @Test("Latin matching ignores case and full width")
    func caseAndWidth() throws {
        let (store, _) = try store(with: [("/p/cafe.jpg", 1)])
        try store.putText(words([[("ＳＴＡＲＢＵＣＫＳ", 90), ("Coffee", 90)]]), for: hash(1))
        #expect(paths(try store.searchText("starbucks")) == ["/p/cafe.jpg"])
        #expect(paths(try store.searchText("ｃｏｆｆｅｅ")) == ["/p/cafe.jpg"])
        #expect(paths(try store.searchText("STARBUCKS COFFEE")) == ["/p/cafe.jpg"])
        #expect(try store.searchText("tea").isEmpty)
    }

    @Test("low-confidence words are stored but never matched")
    func lowConfidence() throws {
        let (store, _) = try store(with: [("/p/a.png", 1)])
        try store.putText(words([[("receipt", 95), ("garbled", 12)]]), for: hash(1))
        #expect(paths(try store.searchText("receipt")) == ["/p/a.png"])
        #expect(try store.searchText("garbled").isEmpty)
        let stored = try #require(try store.recognizedText(for: hash(1)))
        #expect(stored.words.map(\.text) == ["receipt", "garbled"])
        #expect(stored.words[1].confidence == 12)
    }

    @Test("a changed photo loses its old text and waits to be read again; a moved one keeps it")
    func changeAndMove() throws {
        let (store, model) = try store(with: [("/p/a.png", 1), ("/p/b.png", 2)])
        try store.putText(words([[("original", 90)]]), for: hash(1))
        try store.putText(words([[("stays", 90)]]), for: hash(2))
        #expect(try store.photosNeedingText(limit: 10).isEmpty)
        // a.png changes content; b.png moves to c.png.
        _ = try store.apply(
            [
                .embedded(
                    FileStamp(path: Array("/p/a.png".utf8), size: 11, mtimeNs: 2),
                    hash: hash(3), metadata: PhotoMetadata(width: 10, height: 10), vector: [1]),
                .reused(
                    FileStamp(path: Array("/p/c.png".utf8), size: 10, mtimeNs: 1), hash: hash(2)),
                .removed(path: Array("/p/b.png".utf8)),
            ], model: model)
        #expect(try store.pruneTexts() == 1)
        #expect(try store.searchText("original").isEmpty)
        #expect(paths(try store.searchText("stays")) == ["/p/c.png"])
        let pending = try store.photosNeedingText(limit: 10)
        #expect(pending.map(\.contentHash) == [hash(3)])
        #expect(try store.textProgress() == TextProgress(done: 1, pending: 1))
        try store.putText(words([[("replaced", 90)]]), for: hash(3))
        #expect(paths(try store.searchText("replaced")) == ["/p/a.png"])
    }

    @Test("normalisation folds width and case and keeps lines")
    func normalize() {
        #expect(OCRText.normalize("ＡＢＣ１２３　Def\nX  y") == "abc123 def\nx y")
        #expect(
            OCRText.terms("receipt \"Opening  Hours\" 星巴克")
                == ["receipt", "opening hours", "星巴克"])
        #expect(
            OCRText.snippet("北京站\n营业时间 9:00-21:00", terms: ["营业时间"])
                == "北京站 / [营业时间] 9:00-21:00")
        #expect(
            OCRText.snippet("quarterly report", terms: ["quarterly", "report"])
                == "[quarterly report]")
    }
}
