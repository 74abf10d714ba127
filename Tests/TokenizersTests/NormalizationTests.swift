import Foundation
import Testing

@testable import Tokenizers

@Suite("Unicode semantics of the reference implementations")
struct NormalizationTests {
    static func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

    @Test("NFKC composes half-width kana and leaves starters outside the BMP uncomposed")
    func nfkc() {
        #expect(TextNormalizer.nfkc.apply("\u{FF8A}\u{FF9F}") == "\u{30D1}")
        #expect(Self.scalars(TextNormalizer.nfkc.apply("\u{1006B}\u{327}")) == [0x1006B, 0x327])
        #expect(
            Self.scalars(TextNormalizer.nfkc.apply("\u{E006B}\u{304}\u{327}")) == [
                0xE006B, 0x327, 0x304,
            ])
        #expect(Self.scalars(TextNormalizer.nfkc.apply("\u{11099}\u{110BA}")) == [0x1109A])
        #expect(TextNormalizer.nfkc.apply("\u{FB01}e\u{301}") == "fi\u{E9}")
    }

    @Test("NFKC follows the Unicode 9 tables of tokenizers: later characters are kept")
    func pinnedVersion() {
        // U+1DF6 (Unicode 10, class 232) is not reordered after U+1DC0 (class 230).
        #expect(
            Self.scalars(TextNormalizer.nfkc.apply("a\u{1DF6}\u{1DC0}")) == [0x61, 0x1DF6, 0x1DC0])
        #expect(
            Self.scalars(TextNormalizer.nfkc.apply("a\u{1DC0}\u{1DCE}")) == [0x61, 0x1DCE, 0x1DC0])
        #expect(TextNormalizer.nfkc.apply("\u{1F16A}") == "MC") // Unicode 6.1
        #expect(TextNormalizer.nfkc.apply("\u{1F16C}") == "\u{1F16C}") // Unicode 12.0
        #expect(TextNormalizer.nfkc.apply("\u{32FF}") == "\u{32FF}") // Unicode 12.1
    }

    @Test("Python lower(): İ becomes two scalars, final sigma depends on the context")
    func pythonLower() {
        func lower(_ text: String) -> [UInt32] {
            PythonUnicode.lower(Array(text.unicodeScalars)).map(\.value)
        }
        #expect(lower("\u{130}") == [0x69, 0x307])
        #expect(lower("ΑΣ") == [0x3B1, 0x3C2])
        #expect(lower("Σ") == [0x3C3])
        #expect(lower("ΑΣΑ") == [0x3B1, 0x3C3, 0x3B1])
        #expect(lower("Α\u{301}Σ\u{301}") == [0x3B1, 0x301, 0x3C2, 0x301])
    }

    @Test("BERT cleaning drops every C* category, including private use and unassigned")
    func bertControl() {
        #expect(BertBasicTokenizer.isControl("\u{200B}"))
        #expect(BertBasicTokenizer.isControl("\u{E000}"))
        #expect(BertBasicTokenizer.isControl("\u{20C1}")) // assigned after Unicode 14
        #expect(BertBasicTokenizer.isControl("\u{1FAE8}")) // emoji of Unicode 15
        #expect(!BertBasicTokenizer.isControl("\t"))
        #expect(!BertBasicTokenizer.isControl("a"))
        #expect(BertBasicTokenizer.isPunctuation("$"))
        #expect(BertBasicTokenizer.isPunctuation("\u{3001}"))
        #expect(!BertBasicTokenizer.isPunctuation("\u{FFE5}"))
    }

    @Test("the charsmap replacement of Replace with a run regex matches runs only")
    func runRegex() throws {
        let run = try #require(TextNormalizer.runPattern(" {2,}"))
        #expect(run.scalar == " " && run.minimum == 2)
        #expect(TextNormalizer.runPattern("a+{2,}") == nil)
        let normalizer = TextNormalizer.replaceRun(scalar: " ", minimum: 2, content: "_")
        #expect(normalizer.apply(" a  b   c ") == " a_b_c ")
    }
}

@Suite("JSON parser")
struct JSONParserTests {
    static func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test("escapes, surrogate pairs and numbers decode")
    func values() throws {
        let value = try Self.parse(
            #"{"a": "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "n": -1.5e2, "z": 0, "t": true, "u": null}"#
        )
        #expect(value["a"]?.string == "x\"\\/\u{8}\u{C}\n\r\t\u{E9}\u{1F600}")
        #expect(value["n"]?.number == -150)
        #expect(value["z"]?.int == 0)
        #expect(value["t"]?.bool == true)
        #expect(value["u"]?.isNull == true)
    }

    @Test("[string, number] tables parse flat, with scores exact, and fall back when mixed")
    func pairs() throws {
        let value = try Self.parse(#"[["\u2581a", -10.508907318115234], ["b\"", 0.0], ["c", -3]]"#)
        guard case .pairs(let pairs) = value else {
            Issue.record("expected the flat representation")
            return
        }
        #expect(pairs.count == 3)
        #expect(pairs.string(0) == "\u{2581}a")
        #expect(pairs.string(1) == "b\"")
        #expect(pairs.numbers == [-10.508907318115234, 0, -3])
        let mixed = try Self.parse(#"[["a", 1.0], ["b", 2.0, 3]]"#)
        #expect(mixed.array?.count == 2)
        #expect(mixed.pairs == nil)
    }

    @Test("malformed documents are rejected with an offset")
    func errors() {
        for text in [
            "[1,]", "{\"a\" 1}", "\"\\ud800\"", "[01]", "{\"a\": tru}", "[\"a\" , 1", "1 2",
            "\"\u{1}\"",
        ] {
            #expect(throws: JSONParser.Failure.self, "\(text)") { try Self.parse(text) }
        }
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParser.Failure.self) {
            try JSONParser.parse(Array("[[\"".utf8) + [0xC3] + Array("\", 1.0]]".utf8))
        }
    }
}
