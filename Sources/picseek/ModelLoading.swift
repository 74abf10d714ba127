import CLIP
import Imaging
import Library
import ModelHub
import PicseekCore
import Store

/// The one place the CLI obtains its CLIP model, and which model folder it chose.
///
/// `modelPath` is a model name or folder (`--model`); without it the model is
/// chosen as `picseek model list` shows: the config file, the installed
/// default, the only installed model, then the bundled demo model.
/// `imagePrecision` as in `ClipModel`; a folder that cannot be loaded throws
/// `ModelLoadError`.
func loadModel(
    modelPath: String?, imagePrecision: ImagePrecision = .float32
) throws -> (embedder: any Embedder, resolved: ResolvedModel) {
    let resolved = try CLIError.wrapping { try resolveModel(explicit: modelPath) }
    let model = try ClipModel.load(
        folder: resolved.folder, name: resolved.name, imagePrecision: imagePrecision)
    return (model, resolved)
}

/// The `Indexer` that `index` and `watch` run over `store`: the model `indexing` names
/// (`loadModel`) in `imagePrecision`, the photo pipeline, JPEG thumbnails and the scan rules
/// of `indexing`.
func makeIndexer(
    store: any PhotoIndex, indexing: IndexingOptions, imagePrecision: ImagePrecision,
    batchSize: Int = IndexOptions().batchSize
) throws -> Indexer {
    let model = try loadModel(modelPath: indexing.model, imagePrecision: imagePrecision)
    var options = IndexOptions()
    options.batchSize = batchSize
    options.scan = indexing.scan
    return Indexer(
        store: store, embedder: model.embedder, processor: ImagePipeline.photoProcessor(),
        encodeThumbnail: JPEG.thumbnailEncoder, options: options)
}
