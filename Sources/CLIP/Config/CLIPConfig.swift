import Tensor

/// The shape and switches of a pre-LN ViT image tower.
public struct VisionConfig: Equatable, Sendable {
    /// Token width, e.g. 768.
    public var hiddenSize: Int
    /// MLP width, e.g. 3072.
    public var intermediateSize: Int
    public var layers: Int
    public var heads: Int
    /// Patch side in pixels, e.g. 16.
    public var patchSize: Int
    /// Input side in pixels, e.g. 224.
    public var imageSize: Int
    public var channels: Int
    /// `.quickGELU` for Chinese-CLIP / OpenAI, `.gelu` for OpenCLIP XLM-R models.
    public var activation: Activation
    public var layerNormEps: Float

    public init(
        hiddenSize: Int, intermediateSize: Int, layers: Int, heads: Int, patchSize: Int,
        imageSize: Int, channels: Int = 3, activation: Activation = .quickGELU,
        layerNormEps: Float = 1e-5
    ) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layers = layers
        self.heads = heads
        self.patchSize = patchSize
        self.imageSize = imageSize
        self.channels = channels
        self.activation = activation
        self.layerNormEps = layerNormEps
    }

    /// Patches per side.
    public var grid: Int { imageSize / patchSize }
    /// Tokens per image: patches plus the class token.
    public var tokens: Int { grid * grid + 1 }
    /// Width of one attention head (e.g. 64, or 80 for ViT-H/14).
    public var headDim: Int { hiddenSize / heads }
}

/// How the text tower turns token states into one vector.
public enum TextPooling: String, Equatable, Sendable {
    /// The first token's final state ([CLS]; Chinese-CLIP).
    case cls
    /// The mean over non-padding tokens (OpenCLIP XLM-R).
    case mean
}

/// The shape and switches of a post-LN BERT-style text tower.
public struct TextConfig: Equatable, Sendable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layers: Int
    public var heads: Int
    /// Rows of the position-embedding table.
    public var maxPositions: Int
    /// Rows of the token-type table (type 0 is always used).
    public var typeVocabSize: Int
    /// `.gelu` (erf) for BERT and XLM-R.
    public var activation: Activation
    public var layerNormEps: Float
    public var padTokenID: Int
    /// Position id of the first token: 0 for BERT, `pad + 1` (2) for RoBERTa/XLM-R.
    public var positionOffset: Int
    public var pooling: TextPooling

    public init(
        vocabSize: Int, hiddenSize: Int, intermediateSize: Int, layers: Int, heads: Int,
        maxPositions: Int = 512, typeVocabSize: Int = 2, activation: Activation = .gelu,
        layerNormEps: Float = 1e-12, padTokenID: Int = 0, positionOffset: Int = 0,
        pooling: TextPooling = .cls
    ) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layers = layers
        self.heads = heads
        self.maxPositions = maxPositions
        self.typeVocabSize = typeVocabSize
        self.activation = activation
        self.layerNormEps = layerNormEps
        self.padTokenID = padTokenID
        self.positionOffset = positionOffset
        self.pooling = pooling
    }

    public var headDim: Int { hiddenSize / heads }
    /// The longest token sequence the position table allows.
    public var maxTokens: Int { maxPositions - positionOffset }
}

/// How a tower's pooled state is mapped into the shared embedding space.
public enum ProjectionKind: Equatable, Sendable {
    /// One bias-free Linear (Chinese-CLIP, OpenAI CLIP).
    case linear
    /// Linear (no bias), activation, Linear (no bias) with the given hidden width
    /// (OpenCLIP `HFTextEncoder` "mlp" projection, e.g. 768 → 640 → 512).
    case mlp(hidden: Int, activation: Activation)
}

/// A whole CLIP model: both towers, the shared dimension and the checkpoint layout.
public struct CLIPConfig: Equatable, Sendable {
    public var vision: VisionConfig
    public var text: TextConfig
    /// Length of the output vectors, e.g. 512.
    public var projectionDim: Int
    public var textProjection: ProjectionKind
    /// Which tensor names the weights file uses.
    public var layout: TensorNames.Layout

    public init(
        vision: VisionConfig, text: TextConfig, projectionDim: Int,
        textProjection: ProjectionKind = .linear,
        layout: TensorNames.Layout = .huggingFaceChineseCLIP
    ) {
        self.vision = vision
        self.text = text
        self.projectionDim = projectionDim
        self.textProjection = textProjection
        self.layout = layout
    }

    /// Chinese-CLIP ViT-B/16 with RoBERTa-wwm-ext-base (the default picseek model).
    public static let chineseCLIPViTB16 = CLIPConfig(
        vision: VisionConfig(
            hiddenSize: 768, intermediateSize: 3072, layers: 12, heads: 12, patchSize: 16,
            imageSize: 224),
        text: TextConfig(
            vocabSize: 21128, hiddenSize: 768, intermediateSize: 3072, layers: 12, heads: 12),
        projectionDim: 512)

    /// OpenCLIP `xlm-roberta-base-ViT-B-32`: GELU ViT-B/32 at 224 and XLM-R base
    /// (250002-word vocabulary, mean pooling, MLP projection 768 → 640 → 512).
    /// The same shapes `openCLIP(json:weights:)` derives from that checkpoint.
    public static let openCLIPXLMRobertaBaseViTB32 = CLIPConfig(
        vision: VisionConfig(
            hiddenSize: 768, intermediateSize: 3072, layers: 12, heads: 12, patchSize: 32,
            imageSize: 224, activation: .gelu, layerNormEps: 1e-5),
        text: TextConfig(
            vocabSize: 250_002, hiddenSize: 768, intermediateSize: 3072, layers: 12, heads: 12,
            maxPositions: 514, typeVocabSize: 1, activation: .gelu, layerNormEps: 1e-5,
            padTokenID: 1, positionOffset: 2, pooling: .mean),
        projectionDim: 512, textProjection: .mlp(hidden: 640, activation: .gelu), layout: .openCLIP)
}
