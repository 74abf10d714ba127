import Foundation

/// The model picseek will use, and why.
public struct ResolvedModel: Sendable, Equatable {
    /// How the model was chosen.
    public enum Reason: String, Sendable {
        case explicit = "--model"
        case configFile = "config file"
        case defaultModel = "default model"
        case onlyInstalled = "installed model"
        case bundledDemo = "bundled demo model"
    }

    /// Model name (folder name for a path).
    public var name: String
    /// Folder holding config.json, model.safetensors and the tokenizer files.
    public var folder: String
    /// The registry entry, or one describing an imported/bundled/path model.
    public var entry: ModelEntry
    public var reason: Reason
}

/// Chooses the model: `--model NAME_OR_PATH`, else `model = "…"` in the config file,
/// else the installed default (Chinese-CLIP ViT-B/16), else the first installed model,
/// else the bundled demo model; with none, an error explaining how to get one.
public func resolveModel(explicit: String?) throws -> ResolvedModel {
    try ModelLibrary().resolve(explicit: explicit)
}

extension ModelLibrary {
    /// `resolveModel(explicit:)` against this library's folders.
    public func resolve(explicit: String?) throws -> ResolvedModel {
        if let explicit, !explicit.isEmpty {
            return try resolve(nameOrPath: explicit, reason: .explicit, origin: "--model")
        }
        let config = try ConfigFile.load(path: configFile)
        if let chosen = config.model, !chosen.isEmpty {
            return try resolve(nameOrPath: chosen, reason: .configFile, origin: configFile)
        }
        let installed = installedModels()
        if let m = installed.first(where: { $0.name == ModelRegistry.defaultName }) {
            return ResolvedModel(
                name: m.name, folder: m.path, entry: m.entry, reason: .defaultModel)
        }
        if let m = installed.first(where: { !$0.isBundled && $0.entry.unsupportedReason == nil }) {
            return ResolvedModel(
                name: m.name, folder: m.path, entry: m.entry, reason: .onlyInstalled)
        }
        if let m = installed.first(where: { $0.isBundled }) {
            return ResolvedModel(name: m.name, folder: m.path, entry: m.entry, reason: .bundledDemo)
        }
        throw ModelHubError.noModel(noModelText())
    }

    private func resolve(nameOrPath: String, reason: ResolvedModel.Reason, origin: String) throws
        -> ResolvedModel
    {
        var isDir: ObjCBool = false
        if nameOrPath.contains("/"),
            FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDir)
        {
            guard isDir.boolValue, ModelLibrary.isCompleteModel(folder: nameOrPath) else {
                throw ModelHubError.badConfig(
                    file: nameOrPath,
                    reason: "not a model folder (needs config.json and model.safetensors; "
                        + "use `picseek model import` to convert a checkpoint)")
            }
            let name = (nameOrPath as NSString).lastPathComponent
            let entry =
                ModelRegistry.entry(named: name)
                ?? ModelEntry(
                    name: name,
                    family: ModelManifest.read(folder: nameOrPath)?.family ?? "chinese-clip",
                    title: "folder", source: .imported, licence: "unknown")
            return ResolvedModel(name: name, folder: nameOrPath, entry: entry, reason: reason)
        }
        if let m = installed(named: nameOrPath) {
            return ResolvedModel(name: m.name, folder: m.path, entry: m.entry, reason: reason)
        }
        if let entry = ModelRegistry.entry(named: nameOrPath) {
            throw ModelHubError.noModel(
                "model \(entry.name) (from \(origin)) is not installed; download it with "
                    + "`picseek model fetch \(entry.name)` (about \(formatBytes(entry.approximateDownloadBytes)))"
            )
        }
        throw ModelHubError.noModel(
            "model \(nameOrPath) (from \(origin)) is neither installed nor a model folder; "
                + "`picseek model list` shows the known ones")
    }

    func noModelText() -> String {
        let looked = bundledSearchRoots.filter { !$0.hasSuffix("/share/picseek/models") }
            .joined(separator: ", ")
        return """
            no model is installed. Download the default one (about 753 MB) with:
              picseek model fetch \(ModelRegistry.defaultName)
            or import one you already have with `picseek model import DIR_OR_FILE`.
            The small demo model bundled in the repository's models/ folder (models/picseek-demo) \
            was not found either (looked in: \(looked.isEmpty ? "nowhere" : looked)); run picseek \
            from a checkout or set PICSEEK_BUNDLED_MODELS to that models/ folder.
            """
    }
}

/// "753 MB", "1.63 GB": decimal units as the hub lists them.
public func formatBytes(_ bytes: Int64) -> String {
    let b = Double(bytes)
    if b >= 1e9 { return String(format: "%.2f GB", b / 1e9) }
    if b >= 1e6 { return String(format: "%.0f MB", b / 1e6) }
    if b >= 1e3 { return String(format: "%.0f kB", b / 1e3) }
    return "\(bytes) B"
}
