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

/// Sets the thread counts for `precision` (`ImagePrecision.prepareThreads`).
func prepareThreads(for precision: ImagePrecision) {
    precision.prepareThreads()
}

/// Model folders this machine can load, by the name their vectors carry in
/// an index (`ModelLibrary.loadableFolders`).
func loadableModelFolders(including chosen: ResolvedModel) -> [String: String] {
    ModelLibrary().loadableFolders(including: chosen)
}

/// The one place the CLI obtains its image pipeline for `embedder`'s preprocessing
/// (`ImagePipeline.photoProcessor`).
func makePhotoProcessor(for embedder: any Embedder) throws -> PhotoProcessor {
    ImagePipeline.photoProcessor()
}
