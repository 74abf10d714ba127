import CLIP
import Explorer
import Foundation
import Library
import PicseekCore
import Store

/// What `picseek explore` browses: the backend, whether the folders given on the
/// command line still need a first indexing run, and whether the indexed folders
/// should be brought up to date in the background as the explorer opens.
struct ExplorerSetup {
    var backend: LibraryBackend
    var needsIndexing: Bool
    /// The index has folders and vectors of the answering model: a background rescan
    /// at start picks up photos added, changed, moved or deleted since the last run
    /// (a no-change rescan only reads folder entries), without embedding a library
    /// for a model the user has not indexed with.
    var refreshAtStart: Bool
}

/// The index-backed explorer backend for the folders `roots` (command-line
/// paths; empty: the index's stored folders), over `store`, with the model
/// `modelPath` resolved as every command does (`--model`, config file,
/// installed, bundled demo), its image tower in `imagePrecision`.
///
/// Without `--model`, when the chosen model has no vectors here but another
/// loadable model does, that model answers instead (the index was built with
/// it). Folders not yet scanned into the index make `needsIndexing` true.
func makeExplorerBackend(
    roots: [String], store: IndexStore, modelPath: String?,
    imagePrecision: ImagePrecision = .float32
) throws -> ExplorerSetup {
    let canonicalRoots = try roots.map { try canonicalFolder($0) }
    let (embedder, resolved) = try loadModel(modelPath: modelPath, imagePrecision: imagePrecision)
    let processor = try makePhotoProcessor(for: embedder)
    let backend = LibraryBackend(
        store: store, roots: canonicalRoots, embedder: embedder, processor: processor,
        folders: loadableModelFolders(including: resolved),
        load: { folder, name in
            let embedder = try loadEmbedder(
                folder: folder, name: name, imagePrecision: imagePrecision)
            return (embedder, try makePhotoProcessor(for: embedder))
        })
    let stored = try store.summary()
    if modelPath == nil,
        stored.models.first(where: { $0.model.name == backend.modelName })?.vectors ?? 0 == 0
    {
        let summary = try backend.summary()
        let best = stored.models
            .filter { summary.models.contains($0.model.name) && $0.vectors > 0 }
            .max { $0.vectors < $1.vectors }
        if let best {
            do {
                _ = try backend.switchModel(to: best.model.name)
            } catch {
                printError(
                    "warning: cannot load model \(TerminalSafe.escape(best.model.name)), "
                        + "which indexed this index: \(TerminalSafe.escape("\(error)"))")
            }
        }
    }
    let known = stored.roots
    let needsIndexing = canonicalRoots.contains { !LibraryBackend.isIndexed($0, roots: known) }
    let answering = try store.summary().models.first { $0.model.name == backend.modelName }
    let refreshAtStart = !known.isEmpty && (answering?.vectors ?? 0) > 0 && !store.isReadOnly
    return ExplorerSetup(
        backend: backend, needsIndexing: needsIndexing, refreshAtStart: refreshAtStart)
}
