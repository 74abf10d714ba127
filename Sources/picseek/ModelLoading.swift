import CLIP
import Imaging
import Library
import ModelHub
import PicseekCore

/// The one place the CLI obtains its CLIP model.
///
/// `modelPath` is a model name or folder (`--model`); without it the model is
/// chosen as `picseek model list` shows: the config file, the installed
/// default, the only installed model, then the bundled demo model.
func loadEmbedder(modelPath: String?) throws -> any Embedder {
    let resolved: ResolvedModel
    do {
        resolved = try resolveModel(explicit: modelPath)
    } catch {
        throw CLIError(error)
    }
    do {
        return try ClipModel(directory: resolved.folder)
    } catch {
        throw CLIError("cannot load model \(TerminalSafe.escape(resolved.name)) from "
            + "\(TerminalSafe.escape(resolved.folder)): \(TerminalSafe.escape("\(error)"))")
    }
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
