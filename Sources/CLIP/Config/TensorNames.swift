/// Tensor names of a checkpoint layout.
///
/// Both layouts hold the same networks; they differ in names, in OpenCLIP's fused
/// `in_proj_weight` (q, k, v stacked along rows, read in place by offset) and in
/// OpenCLIP's `visual.proj`, stored `[width, dim]` (used as `x · P`).
public struct TensorNames: Sendable {
    /// Checkpoint layouts picseek reads.
    public enum Layout: String, Equatable, Sendable {
        /// Hugging Face `ChineseCLIPModel` (`vision_model.*`, `text_model.*`).
        case huggingFaceChineseCLIP
        /// OpenCLIP `CustomTextCLIP` with an HF text encoder (`visual.*`, `text.transformer.*`,
        /// `text.proj.*`), e.g. `xlm-roberta-base-ViT-B-32`.
        case openCLIP
    }

    public let layout: Layout

    public init(_ layout: Layout) { self.layout = layout }

    // MARK: Vision

    var patchEmbedding: String {
        layout == .openCLIP
            ? "visual.conv1.weight" : "vision_model.embeddings.patch_embedding.weight"
    }
    var classEmbedding: String {
        layout == .openCLIP ? "visual.class_embedding" : "vision_model.embeddings.class_embedding"
    }
    var visionPositions: String {
        layout == .openCLIP
            ? "visual.positional_embedding" : "vision_model.embeddings.position_embedding.weight"
    }
    var preNorm: String { layout == .openCLIP ? "visual.ln_pre" : "vision_model.pre_layrnorm" }
    var postNorm: String { layout == .openCLIP ? "visual.ln_post" : "vision_model.post_layernorm" }
    /// HF: `[dim, width]` Linear weight; OpenCLIP: `[width, dim]` matrix.
    var visualProjection: String {
        layout == .openCLIP ? "visual.proj" : "visual_projection.weight"
    }

    func visionLayer(_ i: Int) -> String {
        layout == .openCLIP
            ? "visual.transformer.resblocks.\(i)" : "vision_model.encoder.layers.\(i)"
    }
    func visionNorm1(_ i: Int) -> String {
        visionLayer(i) + (layout == .openCLIP ? ".ln_1" : ".layer_norm1")
    }
    func visionNorm2(_ i: Int) -> String {
        visionLayer(i) + (layout == .openCLIP ? ".ln_2" : ".layer_norm2")
    }
    /// OpenCLIP only: the fused q|k|v projection prefix (`.in_proj_weight`, `.in_proj_bias`).
    func visionInProjection(_ i: Int) -> String { visionLayer(i) + ".attn" }
    func visionQuery(_ i: Int) -> String { visionLayer(i) + ".self_attn.q_proj" }
    func visionKey(_ i: Int) -> String { visionLayer(i) + ".self_attn.k_proj" }
    func visionValue(_ i: Int) -> String { visionLayer(i) + ".self_attn.v_proj" }
    func visionOut(_ i: Int) -> String {
        visionLayer(i) + (layout == .openCLIP ? ".attn.out_proj" : ".self_attn.out_proj")
    }
    func visionFC1(_ i: Int) -> String {
        visionLayer(i) + (layout == .openCLIP ? ".mlp.c_fc" : ".mlp.fc1")
    }
    func visionFC2(_ i: Int) -> String {
        visionLayer(i) + (layout == .openCLIP ? ".mlp.c_proj" : ".mlp.fc2")
    }

    // MARK: Text (a BERT / XLM-R encoder under a prefix)

    var textPrefix: String { layout == .openCLIP ? "text.transformer." : "text_model." }
    var wordEmbeddings: String { textPrefix + "embeddings.word_embeddings.weight" }
    var textPositions: String { textPrefix + "embeddings.position_embeddings.weight" }
    var tokenTypes: String { textPrefix + "embeddings.token_type_embeddings.weight" }
    var embeddingNorm: String { textPrefix + "embeddings.LayerNorm" }
    /// The single Linear text projection (`[dim, width]`).
    var textProjection: String {
        layout == .openCLIP ? "text.proj.weight" : "text_projection.weight"
    }

    func textLayer(_ i: Int) -> String { textPrefix + "encoder.layer.\(i)" }
    func textQuery(_ i: Int) -> String { textLayer(i) + ".attention.self.query" }
    func textKey(_ i: Int) -> String { textLayer(i) + ".attention.self.key" }
    func textValue(_ i: Int) -> String { textLayer(i) + ".attention.self.value" }
    func textAttentionOut(_ i: Int) -> String { textLayer(i) + ".attention.output.dense" }
    func textAttentionNorm(_ i: Int) -> String { textLayer(i) + ".attention.output.LayerNorm" }
    func textIntermediate(_ i: Int) -> String { textLayer(i) + ".intermediate.dense" }
    func textOutput(_ i: Int) -> String { textLayer(i) + ".output.dense" }
    func textOutputNorm(_ i: Int) -> String { textLayer(i) + ".output.LayerNorm" }

    /// Weights of the MLP text projection's two Linear layers (OpenCLIP `text.proj.0/2`).
    func textProjectionMLP(_ index: Int) -> String { "text.proj.\(index * 2).weight" }
}
