import Foundation
import ModelFiles
import PicseekCore
import Tensor

extension CLIPConfig {
    /// Reads a Hugging Face `ChineseCLIPModel` `config.json` (`text_config`,
    /// `vision_config`, `projection_dim`; the older `*_config_dict` keys are accepted).
    /// Keys a file omits take the Hugging Face class defaults, as `from_pretrained` does.
    public static func huggingFace(json data: Data, file: String = "config.json")
        throws(WeightsError) -> CLIPConfig
    {
        let source: HuggingFaceConfig
        do {
            source = try HuggingFaceConfig(json: data, file: file)
        } catch {
            throw .badConfig(file: file, key: "(root)", reason: "not a JSON object")
        }
        let root = source.root
        if let type = source.modelType, type != "chinese_clip" {
            throw .badConfig(
                file: file, key: "model_type",
                reason: "\(type) is not supported (picseek runs chinese_clip folders, and OpenCLIP "
                    + "folders with open_clip_config.json)")
        }
        let reader = JSONReader(file: file)
        let textDict = source.sectionOrLegacy("text_config") ?? [:]
        let visionDict = source.sectionOrLegacy("vision_config") ?? [:]
        let t = reader.scope(textDict, "text_config")
        let v = reader.scope(visionDict, "vision_config")

        let text = TextConfig(
            vocabSize: try t.int("vocab_size", default: 30522),
            hiddenSize: try t.int("hidden_size", default: 768),
            intermediateSize: try t.int("intermediate_size", default: 3072),
            layers: try t.int("num_hidden_layers", default: 12),
            heads: try t.int("num_attention_heads", default: 12),
            maxPositions: try t.int("max_position_embeddings", default: 512),
            typeVocabSize: try t.int("type_vocab_size", default: 2),
            activation: try t.activation("hidden_act", default: .gelu),
            layerNormEps: try t.float("layer_norm_eps", default: 1e-12),
            padTokenID: try t.int("pad_token_id", default: 0, allowZero: true),
            positionOffset: 0, pooling: .cls)
        let vision = VisionConfig(
            hiddenSize: try v.int("hidden_size", default: 768),
            intermediateSize: try v.int("intermediate_size", default: 3072),
            layers: try v.int("num_hidden_layers", default: 12),
            heads: try v.int("num_attention_heads", default: 12),
            patchSize: try v.int("patch_size", default: 32),
            imageSize: try v.int("image_size", default: 224),
            channels: try v.int("num_channels", default: 3),
            activation: try v.activation("hidden_act", default: .quickGELU),
            layerNormEps: try v.float("layer_norm_eps", default: 1e-5))
        let projection = try reader.scope(root, "").int("projection_dim", default: 512)
        let config = CLIPConfig(vision: vision, text: text, projectionDim: projection)
        try config.validate(file: file)
        return config
    }

    /// Checks that the sizes fit together (heads divide widths, patches fit the image).
    public func validate(file: String) throws(WeightsError) {
        if vision.hiddenSize % vision.heads != 0 {
            throw .badConfig(
                file: file, key: "vision_config.num_attention_heads",
                reason: "\(vision.heads) does not divide hidden_size \(vision.hiddenSize)")
        }
        if text.hiddenSize % text.heads != 0 {
            throw .badConfig(
                file: file, key: "text_config.num_attention_heads",
                reason: "\(text.heads) does not divide hidden_size \(text.hiddenSize)")
        }
        if vision.patchSize > vision.imageSize {
            throw .badConfig(
                file: file, key: "vision_config.patch_size",
                reason: "\(vision.patchSize) is larger than image_size \(vision.imageSize)")
        }
        if text.maxTokens < 2 {
            throw .badConfig(
                file: file, key: "text_config.max_position_embeddings",
                reason: "\(text.maxPositions) leaves no room for tokens")
        }
        if text.padTokenID >= text.vocabSize {
            throw .badConfig(
                file: file, key: "text_config.pad_token_id",
                reason: "\(text.padTokenID) is not below vocab_size \(text.vocabSize)")
        }
    }
}

extension PreprocessSpec {
    /// Reads a Hugging Face `preprocessor_config.json`: squash to `size` when
    /// `do_center_crop` is false (Chinese-CLIP), shortest side + centre crop to
    /// `crop_size` otherwise; `image_mean`/`image_std` default to OpenAI's.
    public static func huggingFace(json data: Data, file: String = "preprocessor_config.json")
        throws(WeightsError) -> PreprocessSpec
    {
        let source: HuggingFaceConfig
        do {
            source = try HuggingFaceConfig(json: data, file: file)
        } catch {
            throw .badConfig(file: file, key: "(root)", reason: "not a JSON object")
        }
        let root = source.root
        func side(_ key: String) throws(WeightsError) -> Int? {
            guard let value = root[key] else { return nil }
            if let n = value as? NSNumber { return n.intValue }
            guard let d = value as? [String: Any] else {
                throw .badConfig(file: file, key: key, reason: "expected a number or an object")
            }
            if let s = (d["shortest_edge"] as? NSNumber)?.intValue { return s }
            guard let h = (d["height"] as? NSNumber)?.intValue,
                let w = (d["width"] as? NSNumber)?.intValue
            else {
                throw .badConfig(
                    file: file, key: key, reason: "expected height and width or shortest_edge")
            }
            guard h == w else {
                throw .badConfig(
                    file: file, key: key, reason: "non-square size \(h)x\(w) is not supported")
            }
            return h
        }
        func triple(_ key: String, _ fallback: [Float]) throws(WeightsError) -> [Float] {
            guard let value = root[key] else { return fallback }
            guard let list = value as? [NSNumber], list.count == 3 else {
                throw .badConfig(file: file, key: key, reason: "expected 3 numbers")
            }
            return list.map { $0.floatValue }
        }
        let crop =
            (root["do_center_crop"] as? Bool)
            ?? ((root["do_center_crop"] as? NSNumber)?.boolValue ?? false)
        let size: Int?
        let mode: ResizeMode
        if crop {
            let cropSide = try side("crop_size")
            size = cropSide != nil ? cropSide : try side("size")
            mode = .shortestSideCenterCrop
        } else {
            size = try side("size")
            mode = .squash
        }
        guard let size, size > 0 else {
            throw .badConfig(
                file: file, key: crop ? "crop_size" : "size", reason: "missing or not positive")
        }
        let std = try triple("image_std", PreprocessSpec.openAIStd)
        if std.contains(where: { $0 <= 0 }) {
            throw .badConfig(file: file, key: "image_std", reason: "values must be positive")
        }
        return PreprocessSpec(
            size: size, mode: mode, mean: try triple("image_mean", PreprocessSpec.openAIMean),
            std: std)
    }
}

/// Typed access to values of a JSON object, with defaults and errors that name the key.
struct JSONReader {
    let file: String
    var dict: [String: Any] = [:]
    var prefix = ""

    func scope(_ dict: [String: Any], _ prefix: String) -> JSONReader {
        JSONReader(file: file, dict: dict, prefix: prefix.isEmpty ? "" : prefix + ".")
    }

    func int(_ key: String, default fallback: Int, allowZero: Bool = false) throws(WeightsError)
        -> Int
    {
        guard let value = dict[key], !(value is NSNull) else { return fallback }
        guard let n = value as? NSNumber, Double(n.intValue) == n.doubleValue, n.intValue >= 0,
            allowZero || n.intValue > 0, n.intValue < 1 << 31
        else {
            throw .badConfig(
                file: file, key: prefix + key, reason: "expected a positive integer, found \(value)"
            )
        }
        return n.intValue
    }

    func float(_ key: String, default fallback: Float) throws(WeightsError) -> Float {
        guard let value = dict[key], !(value is NSNull) else { return fallback }
        guard let n = value as? NSNumber, n.doubleValue > 0, n.doubleValue < 1 else {
            throw .badConfig(
                file: file, key: prefix + key,
                reason: "expected a small positive number, found \(value)")
        }
        return n.floatValue
    }

    func activation(_ key: String, default fallback: Activation) throws(WeightsError) -> Activation
    {
        guard let value = dict[key], !(value is NSNull) else { return fallback }
        guard let s = value as? String, let a = Activation(rawValue: s), a != .identity else {
            throw .badConfig(
                file: file, key: prefix + key,
                reason: "unsupported activation \(value) (expected gelu or quick_gelu)")
        }
        return a
    }
}
