import Foundation
import Testing

@testable import Tokenizers

@Suite("WordPiece tokenizer (Chinese-CLIP)")
struct WordPieceTokenizerTests {
    struct Fixture: Decodable {
        let context_length: Int
        let cases: [TokenCase]
        let max_chars_100: [TokenCase]
    }

    static func bundledTokenizer(maxCharactersPerWord: Int = 200) throws -> WordPieceTokenizer {
        let path = try #require(WordPieceTokenizer.bundledChineseCLIPVocabulary)
        return try WordPieceTokenizer(
            vocabularyFile: path, contextLength: 52, maxCharactersPerWord: maxCharactersPerWord)
    }

    @Test("ids equal the Python BertTokenizer's for every fixture string")
    func parity() throws {
        let fixture = try FixtureSupport.decode(Fixture.self, "wordpiece-chinese-clip.json")
        #expect(fixture.cases.count >= 400)
        let tokenizer = try Self.bundledTokenizer()
        #expect(tokenizer.contextLength == fixture.context_length)
        var mismatches = 0
        for item in fixture.cases {
            let ids = tokenizer.encode(item.text)
            if ids != item.ids {
                if mismatches == 0 {
                    Issue.record(
                        """
                        first mismatch for "\(FixtureSupport.escaped(item.text))": \
                        got \(ids), expected \(item.ids)
                        """
                    )
                }
                mismatches += 1
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(fixture.cases.count) strings differ")
    }

    @Test("a 100-character word limit matches transformers' default")
    func hundredCharacterLimit() throws {
        let fixture = try FixtureSupport.decode(Fixture.self, "wordpiece-chinese-clip.json")
        let tokenizer = try Self.bundledTokenizer(maxCharactersPerWord: 100)
        #expect(!fixture.max_chars_100.isEmpty)
        for item in fixture.max_chars_100 {
            #expect(tokenizer.encode(item.text) == item.ids, "\(FixtureSupport.escaped(item.text))")
        }
    }

    @Test("the bundled vocabulary has BERT's 21128 entries and special ids")
    func bundledVocabulary() throws {
        let tokenizer = try Self.bundledTokenizer()
        #expect(tokenizer.vocabularySize == 21128)
        #expect(tokenizer.padID == 0)
        #expect(tokenizer.unknownID == 100)
        #expect(tokenizer.classID == 101)
        #expect(tokenizer.separatorID == 102)
    }

    @Test("special-token literals typed in a query become their ids, exactly as written")
    func specialLiterals() throws {
        let tokenizer = try Self.bundledTokenizer()
        #expect(
            tokenizer.encode("[CLS][SEP][UNK][MASK][PAD]") == [101, 101, 102, 100, 103, 0, 102])
        #expect(tokenizer.encode("猫[SEP]狗") == [101, 4344, 102, 4318, 102])
        #expect(tokenizer.encode(" [UNK] ") == [101, 100, 102])
        // Lowercase or spaced forms are text: "[", "cls", "]".
        #expect(!tokenizer.encode("[cls]").dropFirst().contains(101))
        #expect(tokenizer.encode("[MASK ]").count > 3)
        let ids = tokenizer.encode(String(repeating: "[MASK]", count: 60))
        #expect(ids == [101] + Array(repeating: 103, count: 50) + [102])
    }

    @Test("long text is cut to the context length with [SEP] kept last")
    func truncation() throws {
        let tokenizer = try Self.bundledTokenizer()
        let ids = tokenizer.encode(String(repeating: "猫", count: 80))
        #expect(ids.count == 52)
        #expect(ids.first == 101)
        #expect(ids.last == 102)
        let short = try WordPieceTokenizer(
            vocabularyFile: try #require(WordPieceTokenizer.bundledChineseCLIPVocabulary),
            contextLength: 4)
        #expect(short.encode("一二三四五") == [101, 671, 753, 102])
        #expect(short.encode("") == [101, 102])
    }

    @Test("a small vocabulary with CRLF line ends splits words greedily with ##")
    func smallVocabulary() throws {
        let dir = try FixtureSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("vocab.txt").path
        let lines = [
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "##a", "aff", "!",
        ]
        try lines.joined(separator: "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        let tokenizer = try WordPieceTokenizer(vocabularyFile: path)
        #expect(tokenizer.encode("UnAffable!") == [2, 4, 5, 6, 9, 3])
        #expect(tokenizer.encode("unaffx aff") == [2, 1, 8, 3])
    }

    @Test("a missing file or a vocabulary without [UNK] gives an error naming the file")
    func errors() throws {
        #expect(
            throws: TokenizerError.unreadableFile(
                path: "/nonexistent/vocab.txt", reason: "no such file")
        ) {
            try WordPieceTokenizer(vocabularyFile: "/nonexistent/vocab.txt")
        }
        let dir = try FixtureSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("vocab.txt").path
        try "[PAD]\n[CLS]\n[SEP]\nabc\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try WordPieceTokenizer(vocabularyFile: path)
            Issue.record("expected an error")
        } catch let error as TokenizerError {
            #expect(error == .missingToken(path: path, token: "[UNK]"))
            #expect(error.description.contains(path))
        }
        try Data([0x5B, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(throws: TokenizerError.notUTF8(path: path)) {
            try WordPieceTokenizer(vocabularyFile: path)
        }
        #expect(throws: TokenizerError.invalidContextLength(1)) {
            try WordPieceTokenizer(vocabularyFile: path, contextLength: 1)
        }
    }
}
