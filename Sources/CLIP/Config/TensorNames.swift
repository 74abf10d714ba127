/// Tensor names of a checkpoint layout.
public struct TensorNames: Sendable {
    /// Checkpoint layouts picseek reads.
    public enum Layout: String, Equatable, Sendable {
        /// Hugging Face `ChineseCLIPModel` (`vision_model.*`, `text_model.*`).
        case huggingFaceChineseCLIP
    }

    public let layout: Layout

    public init(_ layout: Layout) { self.layout = layout }

    // MARK: Vision

    let patchEmbedding = "vision_model.embeddings.patch_embedding.weight"
    let classEmbedding = "vision_model.embeddings.class_embedding"
    let visionPositions = "vision_model.embeddings.position_embedding.weight"
    let preNorm = "vision_model.pre_layrnorm"
    let postNorm = "vision_model.post_layernorm"
    let visualProjection = "visual_projection.weight"

    func visionLayer(_ i: Int) -> String { "vision_model.encoder.layers.\(i)" }
    func visionNorm1(_ i: Int) -> String { visionLayer(i) + ".layer_norm1" }
    func visionNorm2(_ i: Int) -> String { visionLayer(i) + ".layer_norm2" }
    func visionQuery(_ i: Int) -> String { visionLayer(i) + ".self_attn.q_proj" }
    func visionKey(_ i: Int) -> String { visionLayer(i) + ".self_attn.k_proj" }
    func visionValue(_ i: Int) -> String { visionLayer(i) + ".self_attn.v_proj" }
    func visionOut(_ i: Int) -> String { visionLayer(i) + ".self_attn.out_proj" }
    func visionFC1(_ i: Int) -> String { visionLayer(i) + ".mlp.fc1" }
    func visionFC2(_ i: Int) -> String { visionLayer(i) + ".mlp.fc2" }

    // MARK: Text

    let wordEmbeddings = "text_model.embeddings.word_embeddings.weight"
    let textPositions = "text_model.embeddings.position_embeddings.weight"
    let tokenTypes = "text_model.embeddings.token_type_embeddings.weight"
    let embeddingNorm = "text_model.embeddings.LayerNorm"
    let textProjection = "text_projection.weight"

    func textLayer(_ i: Int) -> String { "text_model.encoder.layer.\(i)" }
    func textQuery(_ i: Int) -> String { textLayer(i) + ".attention.self.query" }
    func textKey(_ i: Int) -> String { textLayer(i) + ".attention.self.key" }
    func textValue(_ i: Int) -> String { textLayer(i) + ".attention.self.value" }
    func textAttentionOut(_ i: Int) -> String { textLayer(i) + ".attention.output.dense" }
    func textAttentionNorm(_ i: Int) -> String { textLayer(i) + ".attention.output.LayerNorm" }
    func textIntermediate(_ i: Int) -> String { textLayer(i) + ".intermediate.dense" }
    func textOutput(_ i: Int) -> String { textLayer(i) + ".output.dense" }
    func textOutputNorm(_ i: Int) -> String { textLayer(i) + ".output.LayerNorm" }
}

extension TensorNames {
    /// Weights of the MLP text projection's two Linear layers (OpenCLIP `text.proj.0/2`).
    func textProjectionMLP(_ index: Int) -> String { "text.proj.\(index * 2).weight" }
}
