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

    @Test(
        "image_precision is read from config.toml: fp32, bf16, int8, absent, or an error naming it")
    func imagePrecisionSetting() throws {
        let root = makeTempDir()
        defer { cleanup(root) }
        let path = root + "/config.toml"
        #expect(try ConfigFile.imagePrecision(path: path) == nil)
        try writeFile(path, Array("image_precision = \"bf16\"\n".utf8))
        #expect(try ConfigFile.imagePrecision(path: path) == "bf16")
        try writeFile(path, Array("image_precision = \"int8\"\n".utf8))
        #expect(try ConfigFile.imagePrecision(path: path) == "int8")
        try writeFile(path, Array("model = \"x\"\n".utf8))
        #expect(try ConfigFile.imagePrecision(path: path) == nil)
        try writeFile(path, Array("image_precision = \"fp16\"\n".utf8))
        let error = #expect(throws: ConfigValueError.self) {
            try ConfigFile.imagePrecision(path: path)
        }
        #expect(
            error?.description
                == "\(path): image_precision: expected \"fp32\", \"bf16\" or \"int8\", found fp16")
    }

    @Test("text_precision is read from config.toml: bf16, absent, or an error naming it")
    func textPrecisionSetting() throws {
        let root = makeTempDir()
        defer { cleanup(root) }
        let path = root + "/config.toml"
        #expect(try ConfigFile.textPrecision(path: path) == nil)
        try writeFile(path, Array("text_precision = \"bf16\"\n".utf8))
        #expect(try ConfigFile.textPrecision(path: path) == "bf16")
        try writeFile(path, Array("text_precision = \"int4\"\n".utf8))
        let error = #expect(throws: ConfigValueError.self) {
            try ConfigFile.textPrecision(path: path)
        }
        #expect(
            error?.description
                == "\(path): text_precision: expected \"fp32\" or \"bf16\", found int4")
    }

    @Test("loadable folders are keyed by folder name and include the chosen model")
    func loadableFolders() throws {
        let root = makeTempDir()
        defer { cleanup(root) }
        let library = makeLibrary(root)
        let folder = library.modelsDirectory + "/tiny"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for f in ["model.safetensors", "config.json"] {
            try FileManager.default.copyItem(
                atPath: try fixture("hf/" + f), toPath: folder + "/" + f)
        }
        let chosen = try library.resolve(explicit: folder + "/")
        let folders = library.loadableFolders(including: chosen)
        #expect(folders["tiny"] == folder || folders["tiny"] == folder + "/")
        #expect(folders.count == 1)
    }
}
