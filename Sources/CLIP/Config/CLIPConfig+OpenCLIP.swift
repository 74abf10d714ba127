import Foundation
import PicseekCore
import Tensor

extension CLIPConfig {
    /// Reads an OpenCLIP `open_clip_config.json` (`model_cfg` with `embed_dim`,
    /// `vision_cfg`, `text_cfg` naming an HF text encoder) for a `CustomTextCLIP`
    /// checkpoint, e.g. `xlm-roberta-base-ViT-B-32`.
    ///
    /// The vision tower uses GELU unless `quick_gelu` is true; heads are
    /// `width / head_width` (default 64) and the MLP `width * mlp_ratio` (default 4).
    /// The text encoder's sizes are read from the tensor shapes in `weights`; its head
    /// count comes from `text_cfg.heads` or, for `xlm-roberta-base`/`-large`, from the
    /// known configs. XLM-R/RoBERTa encoders get pad id 1, positions starting at 2 and
    /// LayerNorm eps 1e-5; pooling follows `hf_pooler_type` (mean by default), the
    /// projection `hf_proj_type` (MLP by default).
    public static func openCLIP(
        json data: Data, weights: WeightSource, file: String = "open_clip_config.json"
    ) throws(WeightsError) -> CLIPConfig {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .badConfig(file: file, key: "(root)", reason: "not a JSON object")
        }
        let modelDict = (root["model_cfg"] as? [String: Any]) ?? root
        let reader = JSONReader(file: file)
        let m = reader.scope(modelDict, "model_cfg")
        let v = reader.scope(
            (modelDict["vision_cfg"] as? [String: Any]) ?? [:], "model_cfg.vision_cfg")
        let textDict = (modelDict["text_cfg"] as? [String: Any]) ?? [:]
        let t = reader.scope(textDict, "model_cfg.text_cfg")

        let embedDim = try m.int("embed_dim", default: 512)
        let width = try v.int("width", default: 768)
        let headWidth = try v.int("head_width", default: 64)
        let mlpRatio = (modelDict["vision_cfg"] as? [String: Any])?["mlp_ratio"] as? NSNumber
        let quickGELU = (modelDict["quick_gelu"] as? Bool) ?? false
        let vision = VisionConfig(
            hiddenSize: width,
            intermediateSize: Int(Double(width) * (mlpRatio?.doubleValue ?? 4)),
            layers: try v.int("layers", default: 12),
            heads: max(1, width / headWidth),
            patchSize: try v.int("patch_size", default: 16),
            imageSize: try v.int("image_size", default: 224),
            activation: quickGELU ? .quickGELU : .gelu, layerNormEps: 1e-5)

        guard let modelName = textDict["hf_model_name"] as? String else {
            throw .badConfig(
                file: file, key: "model_cfg.text_cfg.hf_model_name",
                reason: "missing (only HF text encoders are supported)")
        }
        let names = TensorNames(.openCLIP)
        func shape(_ name: String) throws(WeightsError) -> [Int] {
            guard let s = weights.shape(of: name) else {
                throw .missingTensor(name: name, file: "model weights")
            }
            return s
        }
        let words = try shape(names.wordEmbeddings)
        let positions = try shape(names.textPositions)
        let types = try shape(names.tokenTypes)
        let intermediate = try shape(names.textIntermediate(0) + ".weight")
        guard words.count == 2, positions.count == 2, types.count == 2, intermediate.count == 2
        else {
            throw .badConfig(
                file: file, key: "text encoder", reason: "embedding tensors are not matrices")
        }
        var layers = 0
        while weights.contains(names.textQuery(layers) + ".weight") { layers += 1 }
        let knownHeads = [
            "xlm-roberta-base": 12, "xlm-roberta-large": 16, "roberta-base": 12,
            "roberta-large": 16,
        ]
        let heads = try t.int("heads", default: knownHeads[modelName] ?? 0, allowZero: true)
        guard heads > 0 else {
            throw .badConfig(
                file: file, key: "model_cfg.text_cfg.heads",
                reason: "needed for the unknown text encoder \(modelName)")
        }
        let roberta = modelName.contains("roberta")
        let pooler =
            (textDict["hf_pooler_type"] as? String) ?? (textDict["pooler_type"] as? String)
            ?? "mean_pooler"
        let pooling: TextPooling
        switch pooler {
        case "mean_pooler": pooling = .mean
        case "cls_pooler", "cls_last_hidden_state_pooler": pooling = .cls
        default:
            throw .badConfig(
                file: file, key: "model_cfg.text_cfg.hf_pooler_type",
                reason: "unsupported pooler \(pooler)")
        }
        let text = TextConfig(
            vocabSize: words[0], hiddenSize: words[1], intermediateSize: intermediate[0],
            layers: layers,
            heads: heads, maxPositions: positions[0], typeVocabSize: types[0], activation: .gelu,
            layerNormEps: roberta ? 1e-5 : 1e-12, padTokenID: roberta ? 1 : 0,
            positionOffset: roberta ? 2 : 0, pooling: pooling)
        let projType =
            (textDict["hf_proj_type"] as? String) ?? (textDict["proj"] as? String) ?? "mlp"
        let projection: ProjectionKind
        switch projType {
        case "mlp": projection = .mlp(hidden: (text.hiddenSize + embedDim) / 2, activation: .gelu)
        case "linear": projection = .linear
        default:
            throw .badConfig(
                file: file, key: "model_cfg.text_cfg.hf_proj_type",
                reason: "unsupported projection \(projType)")
        }
        let config = CLIPConfig(
            vision: vision, text: text, projectionDim: embedDim, textProjection: projection,
            layout: .openCLIP)
        try config.validate(file: file)
        return config
    }
}

extension PreprocessSpec {
    /// OpenCLIP preprocessing: shortest side + centre crop to the image size, with
    /// `preprocess_cfg` mean/std when given (OpenAI's otherwise).
    public static func openCLIP(
        json data: Data, imageSize: Int, file: String = "open_clip_config.json"
    ) throws(WeightsError) -> PreprocessSpec {
        let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        let cfg = (root["preprocess_cfg"] as? [String: Any]) ?? [:]
        func triple(_ key: String, _ fallback: [Float]) throws(WeightsError) -> [Float] {
            guard let value = cfg[key] else { return fallback }
            guard let list = value as? [NSNumber], list.count == 3 else {
                throw .badConfig(
                    file: file, key: "preprocess_cfg." + key, reason: "expected 3 numbers")
            }
            return list.map { $0.floatValue }
        }
        let mode: ResizeMode =
            (cfg["resize_mode"] as? String) == "squash" ? .squash : .shortestSideCenterCrop
        return PreprocessSpec(
            size: imageSize, mode: mode, mean: try triple("mean", PreprocessSpec.openAIMean),
            std: try triple("std", PreprocessSpec.openAIStd))
    }
}
