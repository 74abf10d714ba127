import Foundation
import ModelFiles
import Testing

@testable import ModelHub

@Suite("Checkpoint import")
struct CheckpointImportTests {
    func referenceTensors() throws -> [String: (String, [Int], [UInt8])] {
        try readTensors(try fixture("hf/model.safetensors"))
    }

    func expectSameTensors(_ path: String) throws {
        let reference = try referenceTensors()
        let got = try readTensors(path)
        #expect(Set(got.keys) == Set(reference.keys))
        for (name, (dtype, shape, bytes)) in reference {
            let other = try #require(got[name], "missing \(name)")
            #expect(other.0 == dtype, "dtype of \(name)")
            #expect(other.1 == shape, "shape of \(name)")
            let identical = other.2 == bytes // a Bool, so a failure does not print megabytes
            #expect(identical, "bytes of \(name)")
        }
    }

    @Test("an original Chinese-CLIP .pt imports to exactly the reference tensors")
    func originalPT() throws {
        let dir = makeTempDir("import-pt")
        defer { cleanup(dir) }
        let library = makeLibrary(dir)
        let result = try ModelImporter(library: library).importModel(
            from: try fixture("original.pt"), name: "tiny")
        #expect(result.path == library.folder(for: "tiny"))
        try expectSameTensors(result.path + "/model.safetensors")
        #expect(result.notes.contains { $0.contains("original chinese-clip layout") })
        // The synthesised config must describe the same architecture as the HF reference.
        let synthesised = try ModelConfig.read(path: result.path + "/config.json")
        let reference = try ModelConfig.read(path: try fixture("hf/config.json"))
        #expect(synthesised.projectionDim == reference.projectionDim)
        for keyPath in [
            \ModelConfig.Tower.layers, \.width, \.heads, \.intermediate, \.patchSize, \.imageSize,
            \.vocabSize, \.maxPositions,
        ] {
            #expect(synthesised.vision?[keyPath: keyPath] == reference.vision?[keyPath: keyPath])
            #expect(synthesised.text?[keyPath: keyPath] == reference.text?[keyPath: keyPath])
        }
        #expect(synthesised.vision?.activation == "quick_gelu")
        #expect(synthesised.text?.activation == "gelu")
        let info = try ModelInfo(
            model: InstalledModel(
                name: "tiny", path: result.path,
                entry: ModelEntry(
                    name: "tiny", family: "chinese-clip", title: "t",
                    source: .imported, licence: "x"), isBundled: false))
        #expect(info.preprocessing?.contains("resize 32x32 (squash, no crop), bicubic") == true)
        #expect(ModelManifest.read(folder: result.path)?.name == "tiny")
    }

    @Test(
        "a Hugging Face folder with only pytorch_model.bin imports to the reference tensors, buffers dropped"
    )
    func huggingFaceBin() throws {
        let dir = makeTempDir("import-bin")
        defer { cleanup(dir) }
        let result = try ModelImporter(library: makeLibrary(dir)).importModel(
            from: try fixture("hf-bin"), name: "tiny")
        try expectSameTensors(result.path + "/model.safetensors")
        #expect(result.notes.contains { $0.contains("text_model.embeddings.position_ids") })
        let copied = try String(contentsOfFile: result.path + "/config.json", encoding: .utf8)
        #expect(
            copied
                == (try String(contentsOfFile: try fixture("hf-bin/config.json"), encoding: .utf8)))
    }

    @Test("a folder with model.safetensors is verified and placed without conversion")
    func huggingFaceSafetensors() throws {
        let dir = makeTempDir("import-st")
        defer { cleanup(dir) }
        let source = dir + "/src"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        for f in ["model.safetensors", "config.json"] {
            try FileManager.default.copyItem(
                atPath: try fixture("hf/" + f), toPath: source + "/" + f)
        }
        let result = try ModelImporter(library: makeLibrary(dir)).importModel(from: source)
        #expect(result.name == "src")
        try expectSameTensors(result.path + "/model.safetensors")
        #expect(FileManager.default.fileExists(atPath: result.path + "/preprocessor_config.json"))
    }

    @Test("a truncated safetensors file is refused and nothing is installed")
    func truncatedSafetensors() throws {
        let dir = makeTempDir("import-trunc")
        defer { cleanup(dir) }
        let source = dir + "/broken"
        let bytes = [UInt8](
            try Data(contentsOf: URL(fileURLWithPath: try fixture("hf/model.safetensors"))))
        try writeFile(source + "/model.safetensors", Array(bytes.prefix(bytes.count - 100)))
        let library = makeLibrary(dir)
        do {
            _ = try ModelImporter(library: library).importModel(from: source)
            Issue.record("truncated file accepted")
        } catch let error as ModelHubError {
            #expect(error.description.contains("past the end of the file"))
        }
        #expect(library.installedModels().isEmpty)
        #expect(
            !FileManager.default.fileExists(
                atPath: library.folder(for: "broken") + ".import.partial"))
    }

    @Test("importing over an installed model is refused")
    func alreadyInstalled() throws {
        let dir = makeTempDir("import-twice")
        defer { cleanup(dir) }
        let importer = ModelImporter(library: makeLibrary(dir))
        _ = try importer.importModel(from: try fixture("original.pt"), name: "tiny")
        #expect(
            throws: ModelHubError.alreadyInstalled(
                name: "tiny", path: makeLibrary(dir).folder(for: "tiny"))
        ) {
            try importer.importModel(from: try fixture("original.pt"), name: "tiny")
        }
        #expect(throws: ModelHubError.invalidName("../x")) {
            try importer.importModel(from: try fixture("original.pt"), name: "../x")
        }
    }

    @Test("ResNet (RN50) tensors are refused with a clear error")
    func resnetRefused() throws {
        let storage = TorchStorage(key: "0", dtype: .f32, byteRange: 0..<16)
        let t = TorchTensor(storage: storage, offset: 0, shape: [4], strides: [1])
        do {
            _ = try ChineseCLIPNameMap.convert(
                [("module.visual.layer1.0.conv1.weight", t)], file: "rn50.pt")
            Issue.record("RN50 accepted")
        } catch let error as ModelHubError {
            #expect(error.description.contains("ResNet vision tower"))
        }
    }

    @Test("the written safetensors header is 8-byte aligned and sorted")
    func writerLayout() throws {
        let dir = makeTempDir("writer")
        defer { cleanup(dir) }
        let path = dir + "/x.safetensors"
        let payload: (String) -> TensorPayload = { name in
            TensorPayload(name: name, dtype: .f32, shape: [3]) {
                try $0.write([UInt8](repeating: 1, count: 12))
            }
        }
        try SafetensorsWriter.write([payload("b"), payload("a\"q")], to: path)
        let header = try SafetensorsHeader.read(path: path)
        #expect(header.dataOffset % 8 == 0)
        #expect(header.tensors.map(\.name) == ["a\"q", "b"])
        #expect(header.tensors.map(\.dataRange) == [0..<12, 12..<24])
        #expect(header.fileSize == header.dataOffset + 24)
    }
}
