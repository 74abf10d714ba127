import Foundation
import ModelFiles

/// The architecture numbers of a Hugging Face `config.json` (Chinese-CLIP layout), for
/// `picseek model info` and the importer.
public struct ModelConfig: Sendable, Equatable {
    /// One transformer tower.
    public struct Tower: Sendable, Equatable {
        public var layers: Int?
        public var width: Int?
        public var heads: Int?
        public var intermediate: Int?
        public var activation: String?
        /// Vision only.
        public var patchSize: Int?
        public var imageSize: Int?
        /// Text only.
        public var vocabSize: Int?
        public var maxPositions: Int?
    }

    public var modelType: String?
    public var projectionDim: Int?
    public var vision: Tower?
    public var text: Tower?

    /// Reads `config.json` at `path`.
    public static func read(path: String) throws -> ModelConfig {
        let config = try ModelHubError.mappingFileErrors { try HuggingFaceConfig.read(path: path) }
        let root = config.root
        func int(_ d: [String: Any], _ k: String) -> Int? { (d[k] as? NSNumber)?.intValue }
        func tower(_ key: String) -> Tower? {
            guard let d = config.section(key) else { return nil }
            return Tower(
                layers: int(d, "num_hidden_layers"), width: int(d, "hidden_size"),
                heads: int(d, "num_attention_heads"), intermediate: int(d, "intermediate_size"),
                activation: d["hidden_act"] as? String, patchSize: int(d, "patch_size"),
                imageSize: int(d, "image_size"), vocabSize: int(d, "vocab_size"),
                maxPositions: int(d, "max_position_embeddings"))
        }
        return ModelConfig(
            modelType: root["model_type"] as? String, projectionDim: int(root, "projection_dim"),
            vision: tower("vision_config"), text: tower("text_config"))
    }
}
