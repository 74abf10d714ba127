import Library
import Testing

@Suite("What picseek errors and picseek forget print")
struct MaintenanceTextTests {
    @Test("a failed photo shows its path and reason, escaped, or says the reason is unknown")
    func failed() {
        #expect(
            MaintenanceText.failedLine(path: Array("/p/a\u{1B}.jpg".utf8), error: "bad\u{1B}")
                == "/p/a\\e.jpg: bad\\e")
        #expect(
            MaintenanceText.failedLine(path: Array("/p/b.jpg".utf8), error: nil)
                == "/p/b.jpg: unknown error")
    }

    @Test("forget counts the photos it removed, one or many")
    func forgot() {
        #expect(
            MaintenanceText.forgotLine(path: Array("/p".utf8), removed: 1) == "/p: forgot 1 photo")
        #expect(
            MaintenanceText.forgotLine(path: Array("/p".utf8), removed: 0) == "/p: forgot 0 photos")
        #expect(
            MaintenanceText.forgotLine(path: [0x2F, 0xFF], removed: 3)
                == "/\\xFF: forgot 3 photos")
    }
}
