/// The models built into picseek.
///
/// Sizes are the hub's listings (see the project's model notes, 1.7 and 3.1). No SHA-256
/// is recorded: the hub reports each large file's SHA-256 in `X-Linked-Etag`, and fetch
/// verifies against that. Licences are the model cards' (weights) and the code's.
public enum ModelRegistry {
    /// The model `resolveModel` suggests and prefers: Chinese-CLIP ViT-B/16.
    public static let defaultName = "chinese-clip-vit-base-patch16"

    static let kB: Int64 = 1000
    static let MB: Int64 = 1_000_000
    static let GB: Int64 = 1_000_000_000

    static let chineseCLIPLicence = "apache-2.0 (weights, model card); MIT (code)"

    /// The fetchable models, default first.
    public static let entries: [ModelEntry] = [
        chineseCLIP(
            "vit-base-patch16", title: "Chinese-CLIP ViT-B/16", dim: 512, size: 224,
            original: "clip_cn_vit-b-16.pt",
            weights: .init(
                "model.safetensors", revision: "refs/pr/1", approximateBytes: 753 * MB,
                kind: .safetensors),
            configBytes: 3010, preprocessorBytes: 342, vocabBytes: 110 * kB),
        chineseCLIP(
            "vit-large-patch14", title: "Chinese-CLIP ViT-L/14", dim: 768, size: 224,
            original: "clip_cn_vit-l-14.pt",
            weights: .init(
                "model.safetensors", revision: "refs/pr/2", approximateBytes: 1630 * MB,
                kind: .safetensors)),
        chineseCLIP(
            "vit-large-patch14-336px", title: "Chinese-CLIP ViT-L/14@336", dim: 768, size: 336,
            original: "clip_cn_vit-l-14-336.pt",
            weights: .init("pytorch_model.bin", approximateBytes: 1630 * MB, kind: .torchPickle)),
        chineseCLIP(
            "vit-huge-patch14", title: "Chinese-CLIP ViT-H/14", dim: 1024, size: 224,
            original: "clip_cn_vit-h-14.pt",
            weights: .init("pytorch_model.bin", approximateBytes: 3830 * MB, kind: .torchPickle)),
        ModelEntry(
            name: "xlm-roberta-base-ViT-B-32", family: "openclip-xlmr",
            title: "OpenCLIP XLM-R base ViT-B/32 (laion5b_s13b_b90k)",
            source: .huggingFace(repo: "laion/CLIP-ViT-B-32-xlm-roberta-base-laion5B-s13B-b90k"),
            files: [
                .init(
                    "open_clip_pytorch_model.bin", approximateBytes: 1460 * MB, kind: .torchPickle),
                .init("open_clip_config.json"),
                .init("tokenizer.json", approximateBytes: 9100 * kB),
                .init("preprocessor_config.json"),
            ],
            licence: "MIT (model card)", embeddingDimension: 512, imageSize: 224),
    ]

    static func chineseCLIP(
        _ suffix: String, title: String, dim: Int, size: Int, original: String,
        weights: ModelEntry.RemoteFile, configBytes: Int64? = nil,
        preprocessorBytes: Int64? = nil, vocabBytes: Int64? = 110 * kB
    ) -> ModelEntry {
        ModelEntry(
            name: "chinese-clip-" + suffix, family: "chinese-clip", title: title,
            source: .huggingFace(repo: "OFA-Sys/chinese-clip-" + suffix),
            files: [
                .init("config.json", approximateBytes: configBytes),
                .init("preprocessor_config.json", approximateBytes: preprocessorBytes),
                .init("vocab.txt", approximateBytes: vocabBytes),
                weights,
            ],
            licence: chineseCLIPLicence, embeddingDimension: dim, imageSize: size,
            originalCheckpoint: original)
    }

    /// The registry entry named `name` (case-insensitive), if any.
    public static func entry(named name: String) -> ModelEntry? {
        entries.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The registry entry whose original `.pt` file is called `fileName`, if any.
    public static func entry(originalCheckpoint fileName: String) -> ModelEntry? {
        entries.first { $0.originalCheckpoint == fileName }
    }
}
