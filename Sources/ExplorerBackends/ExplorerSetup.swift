import Foundation
import Library
import PicseekCore
import Store

/// What `picseek explore` browses: the backend, whether the folders given on the
/// command line still need a first indexing run, and whether the indexed folders
/// should be brought up to date in the background as the explorer opens.
public struct ExplorerSetup {
    /// The index-backed backend, answering with the model chosen for this index.
    public var backend: LibraryBackend
    /// A folder given on the command line has not been scanned into the index yet.
    public var needsIndexing: Bool
    /// The index has folders and vectors of the answering model: a background rescan
    /// at start picks up photos added, changed, moved or deleted since the last run
    /// (a no-change rescan only reads folder entries), without embedding a library
    /// for a model the user has not indexed with.
    public var refreshAtStart: Bool

    /// The setup over `backend`, for the canonical folders `roots` (empty: the
    /// index's stored folders) in `store`.
    ///
    /// Unless `modelChosen` (the user named the model), when the backend's model has
    /// no vectors here but another loadable model does, the one with the most vectors
    /// answers instead (the index was built with it); a failure to load it is passed
    /// to `warn` as one line and the backend's model stays.
    public init(
        backend: LibraryBackend, store: any PhotoIndex, roots: [[UInt8]], modelChosen: Bool,
        warn: (String) -> Void
    ) throws {
        let stored = try store.summary()
        if !modelChosen,
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
                    warn(
                        "warning: cannot load model \(TerminalSafe.escape(best.model.name)), "
                            + "which indexed this index: \(TerminalSafe.escape("\(error)"))")
                }
            }
        }
        let known = stored.roots
        self.backend = backend
        needsIndexing = roots.contains { !LibraryBackend.isIndexed($0, roots: known) }
        // The counts read above still hold (nothing was written); a second summary would
        // count a large index's rows again.
        let answering = stored.models.first { $0.model.name == backend.modelName }
        refreshAtStart = !known.isEmpty && (answering?.vectors ?? 0) > 0 && !store.isReadOnly
    }
}
