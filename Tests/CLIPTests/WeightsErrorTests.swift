import Foundation
import PicseekCore
import Testing

@testable import CLIP

@Suite("Broken model folders give errors naming the tensor or file")
struct WeightsErrorTests {
    @Test("a missing tensor is named")
    func missingTensor() throws {
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        try copy.editHeader { $0.removeValue(forKey: "text_projection.weight") }
        #expect(
            throws: WeightsError.missingTensor(
                name: "text_projection.weight", file: "model.safetensors")
        ) {
            try ClipModel(directory: copy.directory)
        }
    }

    @Test("a wrong shape names the tensor, the expected and the found shape")
    func wrongShape() throws {
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        try copy.editHeader { header in
            var entry = header["visual_projection.weight"] as? [String: Any] ?? [:]
            entry["shape"] = [48, 24]
            header["visual_projection.weight"] = entry
        }
        #expect(
            throws: WeightsError.wrongShape(
                name: "visual_projection.weight", expected: [24, 48], found: [48, 24],
                file: "model.safetensors")
        ) {
            try ClipModel(directory: copy.directory)
        }
    }

    @Test("a truncated file names a tensor whose data lies past the end")
    func truncated() throws {
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        let size =
            try FileManager.default.attributesOfItem(atPath: copy.weightsPath)[.size] as? Int ?? 0
        try copy.truncate(keep: size / 2)
        let error = loadError(copy.directory)
        guard case .truncated(let name, let end, let fileSize, let file)? = error else {
            Issue.record("expected a truncation error, got \(String(describing: error))")
            return
        }
        #expect(!name.isEmpty)
        #expect(end > fileSize)
        #expect(fileSize == size / 2)
        #expect(file == "model.safetensors")
        #expect(error?.description.contains(name) == true)
    }

    @Test("an unsupported dtype names the tensor and the dtype")
    func wrongDType() throws {
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        try copy.editHeader { header in
            var entry = header["vision_model.post_layernorm.weight"] as? [String: Any] ?? [:]
            entry["dtype"] = "I32"
            header["vision_model.post_layernorm.weight"] = entry
        }
        #expect(
            throws: WeightsError.unsupportedDType(
                name: "vision_model.post_layernorm.weight", found: "I32", file: "model.safetensors")
        ) {
            try ClipModel(directory: copy.directory)
        }
    }

    @Test("a header that is not JSON is reported as a bad header")
    func badHeader() throws {
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        var bytes = try Data(contentsOf: URL(fileURLWithPath: copy.weightsPath))
        bytes[9] = UInt8(ascii: "#")
        try bytes.write(to: URL(fileURLWithPath: copy.weightsPath))
        #expect(
            throws: WeightsError.badHeader(
                file: "model.safetensors", reason: "header is not valid JSON")
        ) {
            try ClipModel(directory: copy.directory)
        }
    }

    @Test("absurd data offsets in the header are rejected without a crash")
    func absurdOffsets() throws {
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        try copy.editHeader { header in
            var entry = header["logit_scale"] as? [String: Any] ?? [:]
            entry["data_offsets"] = [0, 1 << 60]
            header["logit_scale"] = entry
        }
        let error = loadError(copy.directory)
        guard case .badHeader(let file, let reason)? = error else {
            Issue.record("expected a header error, got \(String(describing: error))")
            return
        }
        #expect(file == "model.safetensors")
        #expect(reason.contains("logit_scale"))
    }

    @Test("a header length beyond the file is reported")
    func headerTooLong() throws {
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        try copy.truncate(keep: 100)
        let error = loadError(copy.directory)
        guard case .badHeader(let file, let reason)? = error else {
            Issue.record("expected a header error, got \(String(describing: error))")
            return
        }
        #expect(file == "model.safetensors")
        #expect(reason.contains("exceeds the file size 100"))
    }

    @Test("a missing model file and an invalid config value are named")
    func missingFileAndBadConfig() throws {
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        try FileManager.default.removeItem(atPath: copy.weightsPath)
        #expect(throws: WeightsError.self) { try ClipModel(directory: copy.directory) }
        #expect(loadError(copy.directory)?.description.contains("model.safetensors") == true)
        let config =
            #"{"projection_dim": 24, "vision_config": {"hidden_size": 48, "num_attention_heads": 5}}"#
        #expect(
            throws: WeightsError.badConfig(
                file: "config.json", key: "vision_config.num_attention_heads",
                reason: "5 does not divide hidden_size 48")
        ) {
            try CLIPConfig.huggingFace(json: Data(config.utf8))
        }
        #expect(
            throws: WeightsError.badConfig(
                file: "config.json", key: "text_config.hidden_act",
                reason: "unsupported activation relu (expected gelu or quick_gelu)")
        ) {
            try CLIPConfig.huggingFace(json: Data(#"{"text_config": {"hidden_act": "relu"}}"#.utf8))
        }
    }

    @Test("a missing folder, a file, a pickle-only folder and another model type get plain errors")
    func wrongFolders() throws {
        let copy = try BrokenCopy(of: "odd70")
        defer { copy.remove() }
        #expect(
            loadError(copy.directory + "/nope")
                == .unreadable(file: copy.directory + "/nope", reason: "no such model folder"))
        #expect(loadError(copy.weightsPath)?.description.contains("not a folder") == true)

        try FileManager.default.moveItem(
            atPath: copy.weightsPath, toPath: copy.directory + "/pytorch_model.bin")
        #expect(
            loadError(copy.directory)
                == .needsImport(folder: copy.directory, found: "pytorch_model.bin"))
        #expect(loadError(copy.directory)?.description.contains("picseek model import") == true)

        let clip = #"{"model_type": "clip", "text_config": {}, "vision_config": {}}"#
        #expect(
            throws: WeightsError.badConfig(
                file: "config.json", key: "model_type",
                reason:
                    "clip is not supported (picseek runs chinese_clip folders, and OpenCLIP folders with open_clip_config.json)"
            )
        ) {
            try CLIPConfig.huggingFace(json: Data(clip.utf8))
        }
        // Configs without model_type (older exports) still load.
        #expect(
            (try? CLIPConfig.huggingFace(json: Data(#"{"projection_dim": 16}"#.utf8)))?
                .projectionDim == 16)
    }

    @Test("preprocessor configs map to squash or shortest-side + crop")
    func preprocessSpec() throws {
        let squash = try PreprocessSpecTestData.parse(
            #"{"do_center_crop": false, "size": {"height": 336, "width": 336}}"#)
        #expect(squash.size == 336 && squash.mode == .squash)
        let crop = try PreprocessSpecTestData.parse(
            #"{"do_center_crop": true, "size": {"shortest_edge": 224}, "crop_size": 224, "image_mean": [0.5, 0.5, 0.5]}"#
        )
        #expect(
            crop.size == 224 && crop.mode == .shortestSideCenterCrop
                && crop.mean == [0.5, 0.5, 0.5])
        #expect(throws: WeightsError.self) {
            try PreprocessSpecTestData.parse(#"{"size": {"height": 3, "width": 4}}"#)
        }
    }
}

/// The error loading `directory` throws, or nil if it loads.
func loadError(_ directory: String) -> WeightsError? {
    do {
        _ = try ClipModel(directory: directory)
        return nil
    } catch {
        return error
    }
}

enum PreprocessSpecTestData {
    static func parse(_ json: String) throws -> PreprocessSpec {
        try PreprocessSpec.huggingFace(json: Data(json.utf8))
    }
}
