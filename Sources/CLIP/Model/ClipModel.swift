import Foundation
import PicseekCore
import Tensor
import Tokenizers

/// A CLIP model (image and text towers) that implements `Embedder`.
///
/// Built from a Hugging Face model folder with `ClipModel(directory:)` or from any
/// `WeightSource` (e.g. `RandomWeights` for benchmarks). Immutable after loading;
/// every call allocates its own work buffers, so one model can serve several threads.
public final class ClipModel: Embedder, @unchecked Sendable {
    /// Shapes and switches of both towers.
    public let config: CLIPConfig
    /// Name, family, dimension and weights fingerprint.
    public let model: EmbedderIdentity
    /// The input the image tower expects.
    public let preprocess: PreprocessSpec
    /// The image tower.
    public let vision: VisionTower
    /// The text tower.
    public let text: TextTower
    /// The folder's `vocab.txt`, if any (for the tokenizer).
    public let vocabularyFile: String?
    /// Images per forward pass inside `embedImages` (bounds the work memory).
    public var maxBatch = 8
    /// The tokenizer `embedText(_:)` uses, or why there is none.
    public let tokenizer: Result<any TextTokenizer, TokenizerError>

    /// Builds both towers from `weights`; `imagePrecision` as in `VisionTower`.
    public init(
        config: CLIPConfig, weights: WeightSource, preprocess: PreprocessSpec,
        identity: EmbedderIdentity, vocabularyFile: String? = nil,
        tokenizer: Result<any TextTokenizer, TokenizerError>? = nil,
        imagePrecision: ImagePrecision = .float32
    ) throws(WeightsError) {
        let names = TensorNames(config.layout)
        self.tokenizer =
            tokenizer ?? .failure(.unreadableFile(path: "(none)", reason: "no tokenizer was given"))
        self.config = config
        self.preprocess = preprocess
        self.model = identity
        self.vocabularyFile = vocabularyFile
        vision = try VisionTower(
            config: config.vision, projectionDim: config.projectionDim, weights: weights,
            names: names,
            precision: imagePrecision)
        text = try TextTower(
            config: config.text, projectionDim: config.projectionDim,
            projection: config.textProjection,
            weights: weights, names: names)
    }

    /// Loads a model folder. A Hugging Face Chinese-CLIP folder has `config.json`,
    /// `model.safetensors` (memory-mapped), `preprocessor_config.json` (if absent:
    /// squash to the vision image size with OpenAI mean/std) and `vocab.txt`. An
    /// OpenCLIP folder has `open_clip_config.json` and `open_clip_model.safetensors`
    /// (or `model.safetensors`). `imagePrecision` as in `VisionTower`.
    public convenience init(directory: String, imagePrecision: ImagePrecision = .float32)
        throws(WeightsError)
    {
        let folder = ModelFolder(directory: directory)
        try folder.checkIsFolder()
        if folder.exists("open_clip_config.json") {
            let file =
                folder.exists("open_clip_model.safetensors")
                ? "open_clip_model.safetensors" : "model.safetensors"
            let weights = try SafeTensorsFile(path: folder.path(file))
            let json = try folder.read("open_clip_config.json")
            let config = try CLIPConfig.openCLIP(json: json, weights: weights)
            let spec = try PreprocessSpec.openCLIP(json: json, imageSize: config.vision.imageSize)
            let family = config.text.positionOffset > 0 ? "openclip-xlmr" : "openclip"
            let identity = EmbedderIdentity(
                name: folder.name, family: family, dimension: config.projectionDim,
                fingerprint: "sha256:" + weights.fingerprint)
            let context = min(77, config.text.maxTokens)
            let tokenizer = Self.loadTokenizer(folder.path("tokenizer.json")) {
                // OpenCLIP tokenizes with transformers' AutoTokenizer: its XLM-R pipeline.
                try UnigramTokenizer(
                    tokenizerJSON: $0, contextLength: context, pipeline: .transformersXLMRoberta)
            }
            try self.init(
                config: config, weights: weights, preprocess: spec, identity: identity,
                tokenizer: tokenizer,
                imagePrecision: imagePrecision)
            return
        }
        let config = try CLIPConfig.huggingFace(
            json: try folder.read("config.json"), file: "config.json")
        var spec = PreprocessSpec(
            size: config.vision.imageSize, mode: .squash,
            mean: PreprocessSpec.openAIMean, std: PreprocessSpec.openAIStd)
        if folder.exists("preprocessor_config.json") {
            spec = try PreprocessSpec.huggingFace(
                json: try folder.read("preprocessor_config.json"), file: "preprocessor_config.json")
        }
        guard spec.size == config.vision.imageSize else {
            throw .badConfig(
                file: "preprocessor_config.json", key: "size",
                reason:
                    "\(spec.size) differs from the vision tower's image_size \(config.vision.imageSize)"
            )
        }
        if !folder.exists("model.safetensors"),
            let pickle = folder.firstExisting(Self.pickleWeights)
        {
            throw .needsImport(folder: directory, found: pickle)
        }
        let weights = try SafeTensorsFile(path: folder.path("model.safetensors"))
        let identity = EmbedderIdentity(
            name: folder.name, family: "chinese-clip", dimension: config.projectionDim,
            fingerprint: "sha256:" + weights.fingerprint)
        // Chinese-CLIP models share one 21128-entry vocabulary; the Tokenizers module carries it.
        var vocabulary = folder.path("vocab.txt")
        if !folder.exists("vocab.txt"), config.text.vocabSize == 21128,
            let bundled = WordPieceTokenizer.bundledChineseCLIPVocabulary
        {
            vocabulary = bundled
        }
        let context = min(52, config.text.maxTokens)
        let tokenizer = Self.loadTokenizer(vocabulary) {
            try WordPieceTokenizer(vocabularyFile: $0, contextLength: context)
        }
        try self.init(
            config: config, weights: weights, preprocess: spec, identity: identity,
            vocabularyFile: vocabulary, tokenizer: tokenizer, imagePrecision: imagePrecision)
    }

    /// PyTorch pickles that `picseek model import` converts to safetensors.
    static let pickleWeights = [
        "pytorch_model.bin", "clip_cn_vit-b-16.pt", "clip_cn_vit-l-14.pt",
        "clip_cn_vit-l-14-336.pt", "clip_cn_vit-h-14.pt", "open_clip_pytorch_model.bin",
    ]

    /// Runs `load`, keeping a `TokenizerError` for `embedText` to report (images still work).
    private static func loadTokenizer(
        _ path: String, _ load: (String) throws -> any TextTokenizer
    ) -> Result<any TextTokenizer, TokenizerError> {
        do {
            return .success(try load(path))
        } catch let error as TokenizerError {
            return .failure(error)
        } catch {
            return .failure(.unreadableFile(path: path, reason: "\(error)"))
        }
    }

    /// Embeds preprocessed planar images (`3 * size * size` floats each), in order.
    public func embedImages(_ batch: [[Float]]) throws -> [[Float]] {
        let per = vision.pixelsPerImage
        for (i, image) in batch.enumerated() where image.count != per {
            throw CLIPError.badPixelCount(index: i, expected: per, found: image.count)
        }
        var result: [[Float]] = []
        result.reserveCapacity(batch.count)
        var start = 0
        let step = max(1, maxBatch)
        while start < batch.count {
            let chunk = batch[start..<min(start + step, batch.count)]
            let packed = Tensor(shape: [chunk.count, per])
            for (k, image) in chunk.enumerated() {
                image.withUnsafeBufferPointer { buffer in
                    if let base = buffer.baseAddress {
                        packed.row(k).update(from: base, count: per)
                    }
                }
            }
            result += vision.embed(packed.data, batch: chunk.count)
            start += step
        }
        return result
    }

    /// Embeds one token-id sequence (`[CLS] … [SEP]`, trailing padding allowed).
    public func embedText(ids: [Int]) throws -> [Float] {
        try text.embed(ids: ids)
    }

    /// Tokenizes `text` with the model's tokenizer and embeds it.
    public func embedText(_ text: String) throws -> [Float] {
        switch tokenizer {
        case .success(let t):
            return try self.text.embed(ids: t.encode(text))
        case .failure(let error):
            throw CLIPError.tokenizerUnavailable(
                reason: "no tokenizer for this model: \(error.description)")
        }
    }
}

/// File access inside a model folder, with errors naming the file.
struct ModelFolder {
    let directory: String

    var name: String {
        (directory as NSString).standardizingPath.split(separator: "/").last.map(String.init)
            ?? directory
    }

    func path(_ file: String) -> String { (directory as NSString).appendingPathComponent(file) }

    func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: path(file)) }

    /// The first of `files` present in the folder.
    func firstExisting(_ files: [String]) -> String? { files.first(where: exists) }

    /// Throws a plain error when the model path is missing or is a file.
    func checkIsFolder() throws(WeightsError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) else {
            throw .unreadable(file: directory, reason: "no such model folder")
        }
        guard isFolder.boolValue else {
            throw .unreadable(
                file: directory,
                reason: "not a folder (a model is a folder with config.json and model.safetensors)")
        }
    }

    func read(_ file: String) throws(WeightsError) -> Data {
        guard let data = FileManager.default.contents(atPath: path(file)) else {
            throw .unreadable(
                file: path(file), reason: exists(file) ? "not readable" : "no such file")
        }
        return data
    }
}
