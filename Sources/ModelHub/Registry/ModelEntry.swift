/// A model picseek knows how to get: where its files live, their sizes and licence.
public struct ModelEntry: Sendable, Equatable {
    /// Where the model comes from.
    public enum Source: Sendable, Equatable {
        /// A Hugging Face hub repository, e.g. "OFA-Sys/chinese-clip-vit-base-patch16".
        case huggingFace(repo: String)
        /// A folder shipped with picseek (the demo model).
        case bundled(path: String)
        /// A folder made by `picseek model import`.
        case imported
    }

    /// How a remote file is handled after download.
    public enum FileKind: String, Sendable, Equatable {
        /// Kept as downloaded (config, vocabulary, tokenizer).
        case plain
        /// The weights, already in safetensors.
        case safetensors
        /// Weights as a `torch.save` pickle: converted to `model.safetensors`, then deleted.
        case torchPickle
    }

    /// One file of a remote model.
    public struct RemoteFile: Sendable, Equatable {
        /// File name in the repository.
        public var name: String
        /// Branch, tag, commit or PR ref to download from, e.g. "main" or "refs/pr/1".
        public var revision: String
        /// Size as listed on the hub (rounded); the exact size comes from the server.
        public var approximateBytes: Int64?
        /// SHA-256 when known; otherwise the hub's `X-Linked-Etag` is used.
        public var sha256: String?
        public var kind: FileKind

        public init(
            _ name: String, revision: String = "main", approximateBytes: Int64? = nil,
            sha256: String? = nil, kind: FileKind = .plain
        ) {
            self.name = name
            self.revision = revision
            self.approximateBytes = approximateBytes
            self.sha256 = sha256
            self.kind = kind
        }
    }

    /// Short name used on the command line and as the folder name.
    public var name: String
    /// Architecture family: "chinese-clip" or "openclip-xlmr".
    public var family: String
    /// Human-readable title, e.g. "Chinese-CLIP ViT-B/16".
    public var title: String
    public var source: Source
    public var files: [RemoteFile]
    /// Licence of the weights and of the code.
    public var licence: String
    /// Length of the image and text vectors, when known.
    public var embeddingDimension: Int?
    /// Input image side in pixels, when known.
    public var imageSize: Int?
    /// The original Chinese-CLIP checkpoint file name, used to name imports.
    public var originalCheckpoint: String?
    /// Set when this build cannot run the model yet (its family is not implemented).
    public var unsupportedReason: String?

    public init(
        name: String, family: String, title: String, source: Source, files: [RemoteFile] = [],
        licence: String, embeddingDimension: Int? = nil, imageSize: Int? = nil,
        originalCheckpoint: String? = nil, unsupportedReason: String? = nil
    ) {
        self.name = name
        self.family = family
        self.title = title
        self.source = source
        self.files = files
        self.licence = licence
        self.embeddingDimension = embeddingDimension
        self.imageSize = imageSize
        self.originalCheckpoint = originalCheckpoint
        self.unsupportedReason = unsupportedReason
    }

    /// Approximate download size: the sum of the listed file sizes.
    public var approximateDownloadBytes: Int64 {
        files.reduce(0) { $0 + ($1.approximateBytes ?? 0) }
    }
}
