import Foundation
import Testing

/// `picseek index DIR --no-ocr` / `--ocr`: reading words turned off and on for one folder,
/// remembered in the index and shown by `picseek status`.
@Suite("reading words, switched per folder", .serialized)
struct OCRSwitchTests {
    @Test("--no-ocr is remembered for the folder and shown by status; --ocr reads it again")
    func perFolderSwitch() throws {
        let sandbox = try IndexedExploreTests.Sandbox()
        let model = IndexedExploreTests.tinyModel
        let off = try IndexedExploreTests.run(
            ["index", "--model", model, "--no-ocr", sandbox.gallery], in: sandbox)
        #expect(off.status == 0, "\(off.errors)")
        #expect(!off.output.contains("words read in"))
        var status = try IndexedExploreTests.run(["status"], in: sandbox)
        #expect(
            status.output.contains(", words in photos not read (--no-ocr))"), "\(status.output)")
        #expect(status.output.contains("words in photos: 0 of 0 photo contents read"))
        // A later run without the switch keeps it off.
        let again = try IndexedExploreTests.run(
            ["index", "--model", model, sandbox.gallery], in: sandbox)
        #expect(again.status == 0, "\(again.errors)")
        #expect(again.output.contains("words read in 0 photos"), "\(again.output)")
        let on = try IndexedExploreTests.run(
            ["index", "--model", model, "--ocr", sandbox.gallery], in: sandbox)
        #expect(on.status == 0, "\(on.errors)")
        #expect(on.output.contains("words read in 12 photos"), "\(on.output)")
        status = try IndexedExploreTests.run(["status"], in: sandbox)
        #expect(!status.output.contains("words in photos not read"))
        #expect(status.output.contains("words in photos: 12 of 12 photo contents read"))
        let both = try IndexedExploreTests.run(
            ["index", "--model", model, "--ocr", "--no-ocr", sandbox.gallery], in: sandbox)
        #expect(both.status != 0)
        #expect(both.errors.contains("give --ocr or --no-ocr, not both"))
    }
}
