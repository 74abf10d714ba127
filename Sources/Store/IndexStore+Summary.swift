import PicseekCore

extension IndexStore {
    /// What the index holds as seen with the model named `model`, for the explorer: the
    /// photos that have its vectors, the failures, the folders (`roots` when given, else the
    /// indexed ones), the models with vectors that `isLoadable` accepts (those a switch can
    /// load), and why the index cannot be written, when it cannot.
    public func summary(
        model: String, roots: [[UInt8]] = [], isLoadable: (String) -> Bool
    ) throws -> IndexSummary {
        let stored = try summary()
        let vectors = stored.models.first { $0.model.name == model }?.vectors ?? 0
        let switchable = stored.models
            .filter { $0.vectors > 0 && isLoadable($0.model.name) }
            .map(\.model.name)
        let shownRoots = roots.isEmpty ? stored.roots.map(\.path) : roots
        var summary = IndexSummary(
            photos: vectors, errors: stored.failed, modelName: model,
            roots: shownRoots.map { String(decoding: $0, as: UTF8.self) }, models: switchable)
        summary.readOnlyReason = readOnlyReason
        // An index older than words in photos, opened read-only, has none.
        if let words = try? textProgress() {
            summary.wordsRead = words.done
            summary.wordsPending = words.pending
        }
        return summary
    }
}
