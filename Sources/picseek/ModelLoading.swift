import CLIP
import Foundation
import Imaging
import Library
import ModelHub
import PicseekCore
import Tensor

/// The one place the CLI obtains its CLIP model.
///
/// `modelPath` is a model name or folder (`--model`); without it the model is
/// chosen as `picseek model list` shows: the config file, the installed
/// default, the only installed model, then the bundled demo model.
/// `imagePrecision` as in `ClipModel`.
func loadEmbedder(modelPath: String?, imagePrecision: ImagePrecision = .float32) throws
    -> any Embedder
{
    try loadModel(modelPath: modelPath, imagePrecision: imagePrecision).embedder
}

/// `loadEmbedder(modelPath:)` that also says which model folder was chosen.
func loadModel(
    modelPath: String?, imagePrecision: ImagePrecision = .float32
) throws -> (embedder: any Embedder, resolved: ResolvedModel) {
    let resolved: ResolvedModel
    do {
        resolved = try resolveModel(explicit: modelPath)
    } catch {
        throw CLIError(error)
    }
    return (
        try loadEmbedder(
            folder: resolved.folder, name: resolved.name, imagePrecision: imagePrecision), resolved
    )
}

/// Loads the CLIP model in `folder` (`name` is for messages).
func loadEmbedder(folder: String, name: String, imagePrecision: ImagePrecision = .float32) throws
    -> any Embedder
{
    do {
        return try ClipModel(directory: folder, imagePrecision: imagePrecision)
    } catch {
        throw CLIError(
            "cannot load model \(TerminalSafe.escape(name)) from "
                + "\(TerminalSafe.escape(folder)): \(TerminalSafe.escape("\(error)"))")
    }
}

/// Sets the thread counts for `precision`. A bfloat16 image tower does its parallel work
/// in picseek's own kernels (`Kernels.threads`), including attention heads that call
/// OpenBLAS from several threads at once, which needs a single-threaded OpenBLAS
/// (see `Kernels.attention`). float32 leaves OpenBLAS its threads. Commands call this
/// once, before any model works, as it changes process-wide settings.
func prepareThreads(for precision: ImagePrecision) {
    guard precision == .bfloat16 else { return }
    // Read first: the default of `Kernels.threads` is OpenBLAS's count.
    Kernels.threads = max(Kernels.threads, BLAS.threads)
    BLAS.threads = 1
}

/// Model folders this machine can load, by the name their vectors carry in
/// an index (`ModelLibrary.loadableFolders`).
func loadableModelFolders(including chosen: ResolvedModel) -> [String: String] {
    ModelLibrary().loadableFolders(including: chosen)
}

/// The one place the CLI obtains its image pipeline (decode, resize,
/// normalise, thumbnail) for `embedder`'s preprocessing.
///
/// One decode per photo gives the model input, a 256-pixel thumbnail and
/// the EXIF metadata. `ImagePipeline` is a value type with no shared state,
/// so the closure is safe to call from the indexer's decode thread.
func makePhotoProcessor(for embedder: any Embedder) throws -> PhotoProcessor {
    let pipeline = ImagePipeline()
    return { data, spec in try pipeline.process(data: data, spec: spec) }
}

/// Encodes the indexer's thumbnails with Imaging's JPEG encoder (Library links no codec).
let encodeJPEGThumbnail: ThumbnailEncoder = JPEG.thumbnailEncoder
