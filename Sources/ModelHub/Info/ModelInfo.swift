import Foundation
import ModelFiles

/// What `picseek model info` reports about an installed model, read from its files.
public struct ModelInfo: Sendable {
    public var model: InstalledModel
    /// Parsed config.json (nil for families without one).
    public var config: ModelConfig?
    /// The safetensors header (tensor names, dtypes, shapes).
    public var weights: SafetensorsHeader
    /// The preprocessing from preprocessor_config.json, when present.
    public var preprocessing: String?
    /// Tokenizer description, e.g. "WordPiece, vocab.txt, 21128 entries".
    public var tokenizer: String
    public var manifest: ModelManifest?

    /// Parameter count: elements of the floating-point tensors.
    public var parameterCount: Int { weights.parameterCount }

    /// The dtypes of the weights with their tensor counts, e.g. ["F32": 197].
    public var dtypes: [String: Int] {
        var d: [String: Int] = [:]
        for t in weights.tensors { d[t.dtype.rawValue, default: 0] += 1 }
        return d
    }

    /// The embedding size: the config's projection_dim, else the projection's rows.
    public var embeddingDimension: Int? {
        config?.projectionDim ?? weights.tensor("text_projection.weight")?.shape.first
            ?? weights.tensor("visual.proj")?.shape.last
    }

    /// Reads the model's files.
    public init(model: InstalledModel) throws {
        self.model = model
        let folder = model.path
        let fm = FileManager.default
        weights = try ModelHubError.mappingFileErrors {
            try SafetensorsHeader.read(path: folder + "/model.safetensors")
        }
        config =
            fm.fileExists(atPath: folder + "/config.json")
            ? try ModelConfig.read(path: folder + "/config.json") : nil
        manifest = ModelManifest.read(folder: folder)
        preprocessing = ModelInfo.describePreprocessor(path: folder + "/preprocessor_config.json")
        if let text = try? String(contentsOfFile: folder + "/vocab.txt", encoding: .utf8) {
            let count = text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
            tokenizer = "WordPiece (BERT), vocab.txt, \(count) entries"
        } else if fm.fileExists(atPath: folder + "/tokenizer.json") {
            tokenizer = "tokenizer.json (Hugging Face tokenizers)"
        } else {
            tokenizer = "missing: no vocab.txt or tokenizer.json in the model folder"
        }
    }

    static func describePreprocessor(path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path),
            let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        var size = "?"
        if let s = root["size"] as? [String: Any] {
            if let h = s["height"] as? NSNumber, let w = s["width"] as? NSNumber {
                size = "\(h.intValue)x\(w.intValue)"
            } else if let e = s["shortest_edge"] as? NSNumber {
                size = "shortest edge \(e.intValue)"
            }
        } else if let s = root["size"] as? NSNumber {
            size = "\(s.intValue)"
        }
        let crop = (root["do_center_crop"] as? Bool) == true ? "centre crop" : "squash, no crop"
        let resample: String
        switch (root["resample"] as? NSNumber)?.intValue {
        case 3: resample = "bicubic"
        case 2: resample = "bilinear"
        case .some(let r): resample = "resample \(r)"
        case nil: resample = "default resampling"
        }
        let mean =
            (root["image_mean"] as? [NSNumber])?.map { String(format: "%.4f", $0.doubleValue) }
            .joined(separator: ", ") ?? "?"
        let std =
            (root["image_std"] as? [NSNumber])?.map { String(format: "%.4f", $0.doubleValue) }
            .joined(separator: ", ") ?? "?"
        return "resize \(size) (\(crop)), \(resample), mean (\(mean)), std (\(std))"
    }
}
