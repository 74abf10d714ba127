import Testing
@testable import Cells

@Suite("display width")
struct DisplayWidthTests {
    @Test("ASCII is one column, CJK and fullwidth two")
    func basicWidths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("海边日落") == 8)
        #expect(DisplayWidth.of("ｆｕｌｌ") == 8)
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("カメラ") == 6)
    }

    @Test("combining marks and joiners take no column")
    func zeroWidth() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of(Unicode.Scalar(0x301)!) == 0)
        #expect(DisplayWidth.of(Unicode.Scalar(0x200D)!) == 0)
        #expect(DisplayWidth.of("a\u{200B}b") == 2)
    }

    @Test("emoji, emoji sequences and flags are two columns")
    func emoji() {
        #expect(DisplayWidth.of("📷") == 2)
        #expect(DisplayWidth.of("👩‍👩‍👧") == 2)
        #expect(DisplayWidth.of("🇨🇳") == 2)
        #expect(DisplayWidth.of("❤️") == 2)
        #expect(DisplayWidth.of("❤") == 1)
    }

    @Test("half blocks and box drawing are one column")
    func blocks() {
        #expect(DisplayWidth.of("▀▄─│┌") == 5)
    }

    @Test("truncation respects wide characters and marks the cut")
    func truncation() {
        #expect(DisplayWidth.truncate("海边日落", to: 5) == "海边…")
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
        #expect(DisplayWidth.truncateLeading("/photos/海边/img.jpg", to: 10) == "…/img.jpg")
        #expect(DisplayWidth.pad("海", to: 4) == "海  ")
        #expect(DisplayWidth.prefix("ab海c", fitting: 3).text == "ab")
    }
}
