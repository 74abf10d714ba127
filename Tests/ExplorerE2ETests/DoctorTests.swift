import Foundation
import Store
import Testing

/// `picseek doctor` on a sound index (its terminal section: `TerminalReportTests`).
@Suite("picseek doctor", .serialized)
struct DoctorTests {
    @Test("a sound index: doctor finds no problem and exits 0; a photo deleted since is reported")
    func soundIndex() throws {
        let sandbox = try IndexedExploreTests.Sandbox()
        let indexed = try IndexedExploreTests.run(
            ["index", "--model", IndexedExploreTests.tinyModel, sandbox.gallery], in: sandbox)
        #expect(indexed.status == 0, "\(indexed.errors)")
        let doctor = try IndexedExploreTests.run(["doctor"], in: sandbox)
        #expect(doctor.status == 0, "\(doctor.output)\(doctor.errors)")
        #expect(doctor.output.contains("  integrity: ok"))
        let version = IndexStore.schemaVersion
        #expect(version >= 3)
        #expect(doctor.output.contains("  schema version: \(version) (this picseek: \(version))"))
        #expect(doctor.output.contains("  photos: 12 (0 failed)"))
        #expect(doctor.output.contains("  previews: 12, unused 0, photos without one 0"))
        #expect(doctor.output.contains("no problems found"))
        try FileManager.default.removeItem(atPath: sandbox.gallery + "/red.jpg")
        let gone = try IndexedExploreTests.run(["doctor"], in: sandbox)
        #expect(gone.status == 1)
        #expect(gone.output.contains("photos whose files are gone: 1"), "\(gone.output)")
        #expect(gone.output.contains("red.jpg"))
    }
}
