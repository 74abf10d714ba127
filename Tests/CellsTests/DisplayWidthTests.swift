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

    @Test("middle truncation keeps the end that tells names apart, and the extension")
    func middleTruncation() {
        #expect(DisplayWidth.truncateMiddle("IMG_4521.HEIC", to: 13) == "IMG_4521.HEIC")
        #expect(DisplayWidth.truncateMiddle("IMG_20240101_4521.HEIC", to: 14) == "IMG_…4521.HEIC")
        #expect(DisplayWidth.truncateMiddle("IMG_4521.HEIC", to: 12) == "IMG…521.HEIC")
        // Narrow labels keep only the end.
        #expect(DisplayWidth.truncateMiddle("scene-0263.jpg", to: 7) == "…63.jpg")
        #expect(
            DisplayWidth.truncateMiddle("scene-0263.jpg", to: 7)
                != DisplayWidth.truncateMiddle("scene-0264.jpg", to: 7))
        // Wide characters are never split and the width is respected.
        let cut = DisplayWidth.truncateMiddle("海边的日落照片很长的名字.jpg", to: 11)
        #expect(DisplayWidth.of(cut) <= 11)
        #expect(cut.hasSuffix(".jpg") && cut.contains("…"))
        #expect(DisplayWidth.truncateMiddle("abc", to: 1) == "…")
        #expect(DisplayWidth.truncateMiddle("abc", to: 0) == "")
    }
}
