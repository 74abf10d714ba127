import Foundation

extension ModelLibrary {
    /// Model folders this machine can load, by the name their vectors carry in an index
    /// (the folder name): installed and bundled models that are supported, plus `chosen`.
    public func loadableFolders(including chosen: ResolvedModel) -> [String: String] {
        var folders: [String: String] = [:]
        for model in installedModels() where model.entry.unsupportedReason == nil {
            folders[Self.indexName(folder: model.path) ?? model.name] = model.path
        }
        folders[Self.indexName(folder: chosen.folder) ?? chosen.name] = chosen.folder
        return folders
    }

    /// The last component of `folder`, standardised: the name an index gives the model.
    static func indexName(folder: String) -> String? {
        (folder as NSString).standardizingPath.split(separator: "/").last.map(String.init)
    }
}
