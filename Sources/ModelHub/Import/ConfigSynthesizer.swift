import Foundation

/// Writes `config.json` and `preprocessor_config.json` for a Chinese-CLIP ViT checkpoint
/// that came without them (an original `.pt`), from the tensor shapes alone.
///
/// Layers are counted from the names; widths, patch size, vocabulary, positions and
/// projection size come from shapes; the image size is `patch * sqrt(positions - 1)`.
/// Heads are not visible in shapes: Chinese-CLIP uses a head width of 64 everywhere
/// except ViT-H/14's vision tower (width 1280, head width 80).
public enum ConfigSynthesizer {
    /// The derived architecture numbers.
    public struct Architecture: Equatable, Sendable {
        public var visionWidth: Int, visionLayers: Int, visionHeads: Int, visionMLP: Int
        public var patchSize: Int, imageSize: Int
        public var textWidth: Int, textLayers: Int, textHeads: Int, textIntermediate: Int
        public var vocabSize: Int, maxPositions: Int, typeVocabSize: Int
        public var projectionDim: Int
    }

    /// Derives the architecture from HF-named tensor shapes.
    public static func architecture(shapes: [String: [Int]], file: String) throws -> Architecture {
        func shape(_ name: String, rank: Int) throws -> [Int] {
            guard let s = shapes[name] else {
                throw ModelHubError.badCheckpoint(file: file, reason: "tensor \(name) is missing")
            }
            guard s.count == rank else {
                throw ModelHubError.badCheckpoint(
                    file: file,
                    reason: "tensor \(name): expected \(rank) dimensions, found shape \(s)")
            }
            return s
        }
        func layerCount(_ prefix: String) -> Int {
            var maxIndex = -1
            for name in shapes.keys where name.hasPrefix(prefix) {
                let rest = name.dropFirst(prefix.count)
                if let dot = rest.firstIndex(of: "."), let i = Int(rest[..<dot]) {
                    maxIndex = max(maxIndex, i)
                }
            }
            return maxIndex + 1
        }
        let conv = try shape("vision_model.embeddings.patch_embedding.weight", rank: 4)
        let pos = try shape("vision_model.embeddings.position_embedding.weight", rank: 2)
        let grid = Int(Double(pos[0] - 1).squareRoot().rounded())
        guard grid * grid == pos[0] - 1, conv[2] == conv[3] else {
            throw ModelHubError.badCheckpoint(
                file: file,
                reason:
                    "cannot derive the image size: \(pos[0]) positions, patch \(conv[2])x\(conv[3])"
            )
        }
        let width = conv[0]
        let headWidth = width == 1280 ? 80 : 64
        let fc1 = try shape("vision_model.encoder.layers.0.mlp.fc1.weight", rank: 2)
        let words = try shape("text_model.embeddings.word_embeddings.weight", rank: 2)
        let textPos = try shape("text_model.embeddings.position_embeddings.weight", rank: 2)
        let types = try shape("text_model.embeddings.token_type_embeddings.weight", rank: 2)
        let inter = try shape("text_model.encoder.layer.0.intermediate.dense.weight", rank: 2)
        let textProj = try shape("text_projection.weight", rank: 2)
        let visProj = try shape("visual_projection.weight", rank: 2)
        guard width % headWidth == 0, words[1] % 64 == 0 else {
            throw ModelHubError.badCheckpoint(
                file: file,
                reason: "widths \(width) (vision) and \(words[1]) (text) are not multiples of the "
                    + "head width; cannot derive the number of attention heads")
        }
        guard textProj[0] == visProj[0] else {
            throw ModelHubError.badCheckpoint(
                file: file,
                reason: "text projection (\(textProj)) and visual projection (\(visProj)) disagree")
        }
        return Architecture(
            visionWidth: width, visionLayers: layerCount("vision_model.encoder.layers."),
            visionHeads: width / headWidth, visionMLP: fc1[0], patchSize: conv[2],
            imageSize: grid * conv[2], textWidth: words[1],
            textLayers: layerCount("text_model.encoder.layer."), textHeads: words[1] / 64,
            textIntermediate: inter[0], vocabSize: words[0], maxPositions: textPos[0],
            typeVocabSize: types[0], projectionDim: textProj[0])
    }

    /// `config.json` in the Hugging Face `ChineseCLIPConfig` layout.
    public static func configJSON(_ a: Architecture) -> String {
        """
        {
          "architectures": ["ChineseCLIPModel"],
          "model_type": "chinese_clip",
          "projection_dim": \(a.projectionDim),
          "logit_scale_init_value": 2.6592,
          "text_config": {
            "model_type": "chinese_clip_text_model",
            "vocab_size": \(a.vocabSize),
            "hidden_size": \(a.textWidth),
            "num_hidden_layers": \(a.textLayers),
            "num_attention_heads": \(a.textHeads),
            "intermediate_size": \(a.textIntermediate),
            "hidden_act": "gelu",
            "max_position_embeddings": \(a.maxPositions),
            "type_vocab_size": \(a.typeVocabSize),
            "layer_norm_eps": 1e-12,
            "pad_token_id": 0
          },
          "vision_config": {
            "model_type": "chinese_clip_vision_model",
            "hidden_size": \(a.visionWidth),
            "intermediate_size": \(a.visionMLP),
            "num_hidden_layers": \(a.visionLayers),
            "num_attention_heads": \(a.visionHeads),
            "image_size": \(a.imageSize),
            "patch_size": \(a.patchSize),
            "num_channels": 3,
            "hidden_act": "quick_gelu",
            "layer_norm_eps": 1e-05,
            "projection_dim": \(a.projectionDim)
          }
        }

        """
    }

    /// `preprocessor_config.json`: squash to `size`, bicubic, OpenAI mean/std, no crop.
    public static func preprocessorJSON(imageSize size: Int) -> String {
        // PreprocessSpec.openAIMean / openAIStd, written with the published digits.
        let mean = "0.48145466, 0.4578275, 0.40821073"
        let std = "0.26862954, 0.26130258, 0.27577711"
        return """
            {
              "image_processor_type": "ChineseCLIPImageProcessor",
              "do_resize": true,
              "size": {"height": \(size), "width": \(size)},
              "resample": 3,
              "do_center_crop": false,
              "crop_size": {"height": \(size), "width": \(size)},
              "do_rescale": true,
              "rescale_factor": 0.00392156862745098,
              "do_normalize": true,
              "image_mean": [\(mean)],
              "image_std": [\(std)],
              "do_convert_rgb": true
            }

            """
    }
}
