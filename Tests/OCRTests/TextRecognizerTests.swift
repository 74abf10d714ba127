import Foundation
import Imaging
import OCR
import PicseekCore
import Testing

/// The committed test images (see Fixtures/README.md).
enum Fixtures {
    static let folder = Bundle.module.resourceURL?.appendingPathComponent("Fixtures").path ?? ""

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
    }
}

@Suite("Text recognition with Tesseract")
struct TextRecognizerTests {
    @Test("a station sign reads in Chinese and English, with boxes on the photo")
    func stationSign() throws {
        let recognizer = try TextRecognizer()
        let (image, scale) = try ImagePipeline().textImage(data: Fixtures.bytes("sign-station.png"))
        #expect(scale == 1 && image.width == 1600 && image.height == 1000)
        let result = try recognizer.recognize(image)
        let text = result.text()
        #expect(text.contains("营业时间"), "read: \(text)")
        #expect(text.contains("Beijing Railway Station"), "read: \(text)")
        #expect(!result.timedOut)
        let beijing = try #require(result.words.first { $0.text == "Beijing" })
        #expect(beijing.confidence > 80)
        // Drawn at x = 110 + the width of "北京站 ", y = 180, 88 px type.
        #expect(beijing.x > 300 && beijing.x < 500 && beijing.y > 170 && beijing.y < 230)
        #expect(beijing.height > 40 && beijing.height < 100)
    }

    @Test("a photo without text gives no confident words")
    func noText() throws {
        let recognizer = try TextRecognizer()
        let (image, _) = try ImagePipeline().textImage(data: Fixtures.bytes("photo-no-text.jpg"))
        let result = try recognizer.recognize(image)
        #expect(result.text(minimumConfidence: 50).count < 4, "read: \(result.text())")
    }

    @Test("missing language data names the Debian package to install")
    func missingLanguage() throws {
        #expect(
            throws: OCRError.languageDataMissing(
                language: "chi_tra", directory: "/nonexistent",
                package: "tesseract-ocr-chi-tra")
        ) {
            _ = try TextRecognizer(languages: "chi_tra", dataDirectory: "/nonexistent")
        }
        let message = OCRError.languageDataMissing(
            language: "chi_sim", directory: "/d", package: TextRecognizer.package(for: "chi_sim"))
        #expect(message.description.contains("apt-get install tesseract-ocr-chi-sim"))
        #expect(throws: OCRError.invalidLanguage("../eng")) {
            _ = try TextRecognizer(languages: "../eng")
        }
    }

    @Test("photos and pages get 2400 px on the long side, screenshots and receipts 3200")
    func sizeRule() {
        #expect(ImagePipeline.textLongSide(width: 4000, height: 3000) == 2400)
        #expect(ImagePipeline.textLongSide(width: 6000, height: 4000) == 2400)
        #expect(ImagePipeline.textLongSide(width: 1240, height: 1754) == 2400)
        #expect(ImagePipeline.textLongSide(width: 1080, height: 1920) == 3200)
    }

    @Test("CJK words join without spaces, other words with one, one line per text line")
    func joining() {
        let words = [("北", 0), ("京", 0), ("Beijing", 0), ("Station", 0), ("出", 1), ("口", 1)]
            .map {
                RecognizedWord(
                    text: $0.0, confidence: 90, x: 0, y: 0, width: 1, height: 1, line: $0.1)
            }
        #expect(RecognizedText(words: words, languages: "eng").text() == "北京 Beijing Station\n出口")
    }
}
