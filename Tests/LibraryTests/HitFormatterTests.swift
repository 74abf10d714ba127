import Foundation
import PicseekCore
import Testing

@testable import Library

@Suite("Search output")
struct HitFormatterTests {
    private func hit(_ path: [UInt8]) -> Hit {
        Hit(photoID: 7, pathBytes: path, score: 0.29749, date: "2024-05-01 10:00:00")
    }

    private let hostile: [[UInt8]] = [
        Array("/p/new\nline.jpg".utf8),
        Array("/p/\u{1b}[2Jclear\u{07}.jpg".utf8),
        [0x2F, 0x70, 0x2F, 0xFF, 0xC3, 0x28, 0x9B, 0x2E, 0x6A, 0x70, 0x67],
        Array("/p/bidi\u{202E}gpj.jpg\u{85}".utf8),
    ]

    private func hasRawControl(_ text: String) -> Bool {
        text.unicodeScalars.contains {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x202E
        }
    }

    @Test("plain lines show score and an escaped path, never raw control characters")
    func plain() {
        #expect(HitFormatter.plain(hit(Array("/p/a.jpg".utf8))) == "0.297  /p/a.jpg")
        for path in hostile {
            #expect(!hasRawControl(HitFormatter.plain(hit(path))))
        }
        #expect(HitFormatter.plain(hit(hostile[0])) == "0.297  /p/new\\nline.jpg")
    }

    @Test("JSON lines are valid JSON, escape controls and keep names exact")
    func json() throws {
        for path in hostile {
            let line = HitFormatter.json(hit(path))
            #expect(!hasRawControl(line))
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["id"] as? Int == 7)
            #expect((object["score"] as? Double).map { abs($0 - 0.297) < 1e-9 } == true)
            if let text = String(validating: path, as: UTF8.self) {
                #expect(object["path"] as? String == text)
                #expect(object["path_hex"] == nil)
            } else {
                let hex = try #require(object["path_hex"] as? String)
                #expect(hex == path.map { String(format: "%02x", $0) }.joined())
            }
        }
    }
}
