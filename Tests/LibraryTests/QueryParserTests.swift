import PicseekCore
import Testing

@testable import Library

@Suite("Query parser")
struct QueryParserTests {
    private func parse(_ s: String) throws -> [QueryTerm] { try QueryParser.parse(s) }

    @Test("plain text is one positive term, whitespace trimmed")
    func plain() throws {
        #expect(try parse("  a dog on a beach ") == [QueryTerm(.text("a dog on a beach"))])
        #expect(try parse("海边的日落") == [QueryTerm(.text("海边的日落"))])
    }

    @Test("+ and - separate terms and set their signs")
    func compound() throws {
        #expect(
            try parse("sunset + beach - people") == [
                QueryTerm(.text("sunset")), QueryTerm(.text("beach")),
                QueryTerm(.text("people"), weight: -1),
            ])
        #expect(
            try parse("beach -people +dog") == [
                QueryTerm(.text("beach")), QueryTerm(.text("people"), weight: -1),
                QueryTerm(.text("dog")),
            ])
        #expect(try parse("- people") == [QueryTerm(.text("people"), weight: -1)])
    }

    @Test("hyphens and plus signs inside words are not operators")
    func innerHyphen() throws {
        #expect(
            try parse("t-shirt + wi-fi router") == [
                QueryTerm(.text("t-shirt")), QueryTerm(.text("wi-fi router")),
            ])
        #expect(try parse("c++ book") == [QueryTerm(.text("c++ book"))])
    }

    @Test("weights prefix a term; the sign multiplies them")
    func weights() throws {
        #expect(
            try parse("2:cat + 0.5:dog - 3:fish") == [
                QueryTerm(.text("cat"), weight: 2), QueryTerm(.text("dog"), weight: 0.5),
                QueryTerm(.text("fish"), weight: -3),
            ])
        // A colon after words is part of the text.
        #expect(try parse("note: red") == [QueryTerm(.text("note: red"))])
    }

    @Test("bad weights are rejected with their position")
    func badWeights() {
        #expect(throws: QueryParseError.badWeight("0", offset: 6)) { try parse("cat + 0:dog") }
        #expect(throws: QueryParseError.badWeight("1.2.3", offset: 0)) { try parse("1.2.3:dog") }
    }

    @Test("quotes keep operators and colons literal")
    func quotes() throws {
        #expect(
            try parse("\"rock - paper\" + 2:\"a: b\"") == [
                QueryTerm(.text("rock - paper")), QueryTerm(.text("a: b"), weight: 2),
            ])
        #expect(throws: QueryParseError.unclosedQuote(offset: 4)) { try parse("cat \"dog") }
    }

    @Test("paths and image file names become image terms")
    func images() throws {
        #expect(
            try parse("./pool.jpg + blue water") == [
                QueryTerm(.image(path: "./pool.jpg")), QueryTerm(.text("blue water")),
            ])
        #expect(
            try parse("2:/photos/a b.png - ~/x.JPG") == [
                QueryTerm(.image(path: "/photos/a b.png"), weight: 2),
                QueryTerm(.image(path: "~/x.JPG"), weight: -1),
            ])
        #expect(try parse("holiday.jpeg") == [QueryTerm(.image(path: "holiday.jpeg"))])
        #expect(try parse("IMG_0001.CR3") == [QueryTerm(.image(path: "IMG_0001.CR3"))])
        #expect(try parse("DSC_2.nef") == [QueryTerm(.image(path: "DSC_2.nef"))])
        #expect(try parse("file:///tmp/p.jpg") == [QueryTerm(.image(path: "file:///tmp/p.jpg"))])
        #expect(try parse("my jpg files") == [QueryTerm(.text("my jpg files"))])
    }

    @Test("empty queries and dangling or doubled operators are errors")
    func errors() {
        #expect(throws: QueryParseError.empty) { try parse("") }
        #expect(throws: QueryParseError.empty) { try parse("   ") }
        #expect(throws: QueryParseError.empty) { try parse("-") }
        #expect(throws: QueryParseError.missingTerm(offset: 5)) { try parse("cat +") }
        #expect(throws: QueryParseError.missingTerm(offset: 6)) { try parse("cat + - dog") }
        #expect(throws: QueryParseError.missingTerm(offset: 6)) { try parse("cat + \"\"") }
    }

    @Test("control characters in a query stay data, not syntax")
    func controlCharacters() throws {
        #expect(try parse("cat\u{1b}[2J") == [QueryTerm(.text("cat\u{1b}[2J"))])
    }
}

@Suite("Prompt templates and language")
struct PromptTemplateTests {
    @Test("language detection picks Chinese for CJK ideographs only")
    func detect() {
        #expect(PromptLanguage.auto.resolved(for: "a red car") == .english)
        #expect(PromptLanguage.auto.resolved(for: "红色的车") == .chinese)
        #expect(PromptLanguage.auto.resolved(for: "ramen 拉面") == .chinese)
        #expect(PromptLanguage.auto.resolved(for: "café ñ") == .english)
    }

    @Test("templates wrap the query per language and must contain {}")
    func templates() throws {
        let t = PromptTemplates.standard
        #expect(t.apply("dog", language: .english) == "a photo of dog")
        #expect(t.apply("狗", language: .chinese) == "一张狗的照片")
        #expect(t.apply("狗", language: .auto) == "一张狗的照片")
        #expect(t.apply("dog", language: .chinese) == "一张dog的照片")
        var custom = try PromptTemplates(english: "a picture of {}, {}", chinese: "{}")
        #expect(custom.apply("x", language: .english) == "a picture of x, x")
        #expect(throws: PromptTemplateError.missingPlaceholder("no slot")) {
            try custom.set("no slot", for: .chinese)
        }
        try custom.set("[{}]", for: .auto)
        #expect(custom.apply("x", language: .english) == "[x]")
        #expect(custom.apply("x", language: .chinese) == "[x]")
    }
}

@Suite("Date bounds")
struct DateBoundsTests {
    @Test("partial bounds cover whole periods; both ends inclusive")
    func ranges() throws {
        let may = try DateBounds(since: "2024-05", until: "2024-05")
        #expect(may.contains("2024-05-01 00:00:00"))
        #expect(may.contains("2024-05-31 23:59:59"))
        #expect(!may.contains("2024-04-30 23:59:59"))
        #expect(!may.contains("2024-06-01 00:00:00"))
        let open = try DateBounds(since: "2020-01-02T10:00", until: nil)
        #expect(open.contains("2020-01-02 10:00:00"))
        #expect(!open.contains("2020-01-02 09:59:59"))
    }

    @Test("malformed dates are rejected")
    func invalid() {
        for bad in ["2024-13", "24-05-01", "yesterday", "2024/05/01", "2024-05-00", ""] {
            #expect(throws: DateBoundsError.self) { try DateBounds(since: bad, until: nil) }
        }
    }

    @Test("modification times format like EXIF dates")
    func localDate() {
        let text = DateBounds.localDate(mtimeNs: 1_700_000_000 * 1_000_000_000)
        #expect(text.count == 19)
        #expect(text.hasPrefix("2023-11-1"))
    }
}
