import Foundation
import Testing

@testable import ModelHub

/// The text of `picseek model list`, `model info` and doctor's models section.
@Suite("model reports")
struct ModelReportTests {
    @Test("table columns are padded to the widest cell and escaped; the last is not padded")
    func table() {
        let lines = ModelReport.table([["", "NAME", "X"], ["*", "long-name\u{1b}", "y"]])
        #expect(lines == ["   NAME        X", "*  long-name\\e  y"])
        #expect(ModelReport.table([]).isEmpty)
    }

    @Test("doctor with no models installed says how to fetch one and finds no problem")
    func noModels() {
        let root = makeTempDir()
        defer { cleanup(root) }
        let check = ModelReport.check(library: makeLibrary(root), hashes: false)
        #expect(check.lines == ["models:", "  none installed (picseek model fetch NAME)"])
        #expect(check.problems == 0)
    }

    @Test("a model without a manifest is listed with its weights' size, not as a problem")
    func noManifest() throws {
        let root = makeTempDir()
        defer { cleanup(root) }
        let library = makeLibrary(root)
        let folder = library.modelsDirectory + "/tiny"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for f in ["model.safetensors", "config.json"] {
            try FileManager.default.copyItem(
                atPath: try fixture("hf/" + f), toPath: folder + "/" + f)
        }
        let size = try #require(FileHasher.size(path: folder + "/model.safetensors"))
        let check = ModelReport.check(library: library, hashes: false)
        #expect(check.problems == 0)
        #expect(
            check.lines.contains(
                "  tiny (\(folder)): model.safetensors \(size) bytes "
                    + "(no manifest: sizes not recorded)"))
        let list = ModelReport.listLines(library: library)
        #expect(list.first?.hasPrefix("   NAME") == true)
        #expect(list.contains { $0.contains("tiny") && $0.contains("imported") })
        #expect(list.contains("models folder: " + library.modelsDirectory))
    }
}
