import Testing

@testable import PicseekCore

@Suite("Terminal-safe escaping")
struct TerminalSafeTests {
    @Test("escape sequences and control characters become visible text")
    func controls() {
        #expect(TerminalSafe.escape("a\u{1B}[2Jb") == "a\\e[2Jb")
        #expect(TerminalSafe.escape("line\nnext\ttab\r") == "line\\nnext\\ttab\\r")
        #expect(TerminalSafe.escape("\u{07}\u{7F}\u{9B}") == "\\x07\\x7F\\x9B")
    }

    @Test("bidi overrides are shown, ordinary CJK and emoji are kept")
    func unicode() {
        #expect(TerminalSafe.escape("abc\u{202E}gpj.exe") == "abc\\u{202E}gpj.exe")
        #expect(TerminalSafe.escape("夕阳 海边 🌅") == "夕阳 海边 🌅")
    }

    @Test("invalid UTF-8 bytes in file names are shown as hex")
    func invalidBytes() {
        let bytes: [UInt8] = [0x61, 0xFF, 0x62, 0xC3, 0xA9, 0xE4, 0xB8, 0x1B]
        #expect(TerminalSafe.escape(bytes: bytes) == "a\\xFFbé\\xE4\\xB8\\e")
        // An overlong encoding of "/" must not decode.
        #expect(TerminalSafe.escape(bytes: [0xC0, 0xAF]) == "\\xC0\\xAF")
    }
}
