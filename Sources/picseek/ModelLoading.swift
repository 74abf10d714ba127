import Imaging
import Library
import PicseekCore

/// Why no model could be loaded.
struct ModelLoadingError: Error, CustomStringConvertible {
    var description: String
}

/// The one place the CLI obtains its CLIP model.
///
/// This build has no model engine yet: it says so instead of faking vectors.
/// The integrator replaces this body with the real loader (module CLIP).
func loadEmbedder(modelPath: String?) throws -> any Embedder {
    throw ModelLoadingError(
        description: "no model engine built into this version yet"
            + (modelPath.map { " (asked for \(TerminalSafe.escape($0)))" } ?? ""))
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
