import Foundation
import Testing

@testable import Tokenizers

@Suite("Unigram tokenizer (XLM-R tokenizer.json)")
struct UnigramTokenizerTests {
    struct Case: Decodable {
        let text: String
        let ids: [Int]
        let ids_clean: [Int]
    }

    struct Expected: Decodable {
        let context_length: Int
        let variants: [String: [Case]]
        let transformers_xlmr: [String: [Case]]
    }

    static let variants = [
        "unigram-xlmr-converted.json", "unigram-xlmr-hub-style.json",
        "unigram-bytefallback-nfkc.json",
    ]

    /// Compares every case, recording the first mismatch with the string escaped.
    static func check(
        _ file: String, clean: Bool, pipeline: UnigramTokenizer.Pipeline = .tokenizerFile
    ) throws {
        let expected = try FixtureSupport.decode(Expected.self, "unigram-expected.json")
        let reference =
            pipeline == .tokenizerFile ? expected.variants : expected.transformers_xlmr
        let cases = try #require(reference[file])
        #expect(cases.count >= 300)
        let tokenizer = try UnigramTokenizer(
            tokenizerJSON: try FixtureSupport.path(file), contextLength: expected.context_length,
            cleanWhitespace: clean, pipeline: pipeline)
        var mismatches = 0
        for item in cases {
            let ids = tokenizer.encode(item.text)
            let reference = clean ? item.ids_clean : item.ids
            if ids != reference {
                if mismatches == 0 {
                    Issue.record(
                        """
                        \(file): first mismatch for "\(FixtureSupport.escaped(item.text))": \
                        got \(ids), expected \(reference)
                        """
                    )
                }
                mismatches += 1
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(cases.count) strings differ in \(file)")
    }

    @Test("ids equal tokenizers' for every string, file converted by transformers")
    func parityConverted() throws {
        try Self.check("unigram-xlmr-converted.json", clean: false)
    }

    @Test("ids equal tokenizers' for every string, file in the published xlm-roberta-base layout")
    func parityHubStyle() throws {
        try Self.check("unigram-xlmr-hub-style.json", clean: false)
    }

    @Test(
        "ids equal tokenizers' with NFKC, Lowercase, Strip, Replace, WhitespaceSplit and byte fallback"
    )
    func parityOtherComponents() throws {
        try Self.check("unigram-bytefallback-nfkc.json", clean: false)
    }

    @Test("with whitespace cleaning, ids equal tokenizers' on OpenCLIP's whitespace_clean(text)")
    func parityCleaned() throws {
        for file in Self.variants {
            try Self.check(file, clean: true)
        }
    }

    @Test(
        "transformers' XLMRobertaTokenizer pipeline: ids equal AutoTokenizer's for every string and file"
    )
    func parityTransformers() throws {
        for file in Self.variants {
            try Self.check(file, clean: false, pipeline: .transformersXLMRoberta)
            try Self.check(file, clean: true, pipeline: .transformersXLMRoberta)
        }
    }

    @Test(
        "special-token literals typed in a query become their ids; <mask> strips spaces on its left"
    )
    func specialLiterals() throws {
        let converted = try UnigramTokenizer(
            tokenizerJSON: try FixtureSupport.path("unigram-xlmr-converted.json"),
            pipeline: .transformersXLMRoberta)
        // <s>=0 <pad>=1 </s>=2 <unk>=3 <mask>=4001; 4 is the lone "▁" piece.
        #expect(converted.encode("<s></s><pad><unk><mask>") == [0, 0, 2, 1, 3, 4001, 2])
        #expect(converted.encode("a <unk> b") == [0, 4, 3999, 3, 4, 3986, 2])
        #expect(converted.encode("a<unk>b") == converted.encode("a <unk> b"))
        #expect(!converted.encode("<S> <MASK>").contains(4001))
        let hub = try UnigramTokenizer(
            tokenizerJSON: try FixtureSupport.path("unigram-xlmr-hub-style.json"),
            cleanWhitespace: false)
        // The file's own pipeline keeps the space before </s> as a "▁" piece; <mask> (lstrip)
        // swallows the spaces on its left.
        #expect(hub.encode("x </s>y") == [0, 4, 3, 4, 2, 4, 3981, 2])
        #expect(hub.encode("word  <mask>") == hub.encode("word<mask>"))
        let hubTransformers = try UnigramTokenizer(
            tokenizerJSON: try FixtureSupport.path("unigram-xlmr-hub-style.json"),
            cleanWhitespace: false, pipeline: .transformersXLMRoberta)
        #expect(hubTransformers.encode("x </s>y") == [0, 4, 3, 2, 4, 3981, 2])
    }

    @Test("whitespace cleaning collapses Python whitespace runs and strips")
    func whitespaceClean() {
        #expect(UnigramTokenizer.whitespaceClean("  a \t\n b\u{3000}c\u{85}  ") == "a b c")
        #expect(UnigramTokenizer.whitespaceClean("\u{200B}x") == "\u{200B}x")
        #expect(UnigramTokenizer.whitespaceClean(" \u{A0}\u{2028} ") == "")
    }

    @Test("truncation keeps <s> first and </s> last at the context length")
    func truncation() throws {
        let tokenizer = try UnigramTokenizer(
            tokenizerJSON: try FixtureSupport.path("unigram-xlmr-converted.json"), contextLength: 10
        )
        let ids = tokenizer.encode(String(repeating: "the cat ", count: 20))
        #expect(ids.count == 10)
        #expect(ids.first == 0)
        #expect(ids.last == 2)
        #expect(tokenizer.padID == 1)
        #expect(tokenizer.unknownID == 3)
        #expect(tokenizer.encode("") == [0, 2])
    }

    @Test("bad files give errors naming the file and the reason")
    func errors() throws {
        let dir = try FixtureSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tokenizer.json").path
        #expect(throws: TokenizerError.unreadableFile(path: path, reason: "no such file")) {
            try UnigramTokenizer(tokenizerJSON: path)
        }
        try "{\"model\": {\"type\": \"Unigram\", \"vocab\": [[\"a\", -1.0],]}}".write(
            toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try UnigramTokenizer(tokenizerJSON: path)
            Issue.record("expected an error for a trailing comma")
        } catch let error as TokenizerError {
            guard case .malformedJSON(let where_, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(where_ == path)
        }
        try "{\"model\": {\"type\": \"BPE\", \"vocab\": {}}}".write(
            toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TokenizerError.unsupported(path: path, component: "model", type: "BPE")) {
            try UnigramTokenizer(tokenizerJSON: path)
        }
        let unsupportedNormalizer = """
            {"normalizer": {"type": "BertNormalizer"}, "pre_tokenizer": null, "post_processor": null,
             "model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["<pad>", 0.0]]}}
            """
        try unsupportedNormalizer.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(
            throws: TokenizerError.unsupported(
                path: path, component: "normalizer", type: "BertNormalizer")
        ) {
            try UnigramTokenizer(tokenizerJSON: path)
        }
        let badCharsmap = """
            {"normalizer": {"type": "Precompiled", "precompiled_charsmap": "AAAAAAAA"},
             "model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["<pad>", 0.0]]}}
            """
        try badCharsmap.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: TokenizerError.self) { try UnigramTokenizer(tokenizerJSON: path) }
    }

    @Test("a hand-made model: Viterbi prefers the best-scored split, unknowns fuse")
    func viterbiByHand() throws {
        let dir = try FixtureSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tokenizer.json").path
        let json = """
            {"normalizer": null,
             "pre_tokenizer": {"type": "Metaspace", "replacement": "\\u2581", "prepend_scheme": "always", "split": true},
             "post_processor": null,
             "model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["<pad>", 0.0],
               ["\\u2581", -1.0], ["a", -2.0], ["b", -2.0], ["ab", -3.0], ["\\u2581ab", -10.0], ["\\u2581a", -1.5]]}}
            """
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        let tokenizer = try UnigramTokenizer(
            tokenizerJSON: path, contextLength: 20, cleanWhitespace: false)
        // ▁ab: "▁a"+"b" = -3.5 beats "▁"+"ab" = -4.0 and "▁ab" = -10.
        #expect(tokenizer.pieceIDs("ab") == [7, 4])
        // x and y are unknown and adjacent: one fused <unk>.
        #expect(tokenizer.pieceIDs("axyb") == [7, 0, 4])
        #expect(tokenizer.encode("a b") == [7, 2, 4])
    }
}
