import Foundation

/// The models on this machine: the folder fetch and import write to, and the
/// bundled demo model shipped next to the executable.
///
/// `$XDG_DATA_HOME/picseek/models/NAME/` (default `~/.local/share/picseek/models`) holds one
/// folder per installed model. A folder counts as installed when it has `model.safetensors`
/// (and `config.json` for the Chinese-CLIP family); folders ending in `.partial` are
/// downloads in progress and never count. Bundled models are the folders of the first
/// existing `models/` directory found by `bundledSearchRoots`.
public struct ModelLibrary: Sendable {
    /// Where installed models live.
    public var modelsDirectory: String
    /// `$XDG_CONFIG_HOME/picseek/config.toml` (default `~/.config/picseek/config.toml`).
    public var configFile: String
    /// Folders searched, in order, for a `models/` folder of bundled models.
    public var bundledSearchRoots: [String]

    /// Uses explicit folders (tests).
    public init(modelsDirectory: String, configFile: String, bundledSearchRoots: [String] = []) {
        self.modelsDirectory = modelsDirectory
        self.configFile = configFile
        self.bundledSearchRoots = bundledSearchRoots
    }

    /// Uses the XDG folders from `environment`, and looks for bundled models in
    /// `$PICSEEK_BUNDLED_MODELS` and in `models/` beside the executable or any of its
    /// parent folders (so `.build/release/picseek` finds the repository's `models/`).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        func xdg(_ key: String, _ fallback: String) -> String {
            if let v = environment[key], v.hasPrefix("/") { return v }
            return home + "/" + fallback
        }
        modelsDirectory = xdg("XDG_DATA_HOME", ".local/share") + "/picseek/models"
        configFile = xdg("XDG_CONFIG_HOME", ".config") + "/picseek/config.toml"
        var roots: [String] = []
        if let explicit = environment["PICSEEK_BUNDLED_MODELS"], !explicit.isEmpty {
            roots.append(explicit)
        }
        if let exe = ModelLibrary.executablePath() {
            var dir = (exe as NSString).deletingLastPathComponent
            for _ in 0..<6 where dir != "/" && !dir.isEmpty {
                roots.append(dir + "/models")
                roots.append(dir + "/share/picseek/models")
                dir = (dir as NSString).deletingLastPathComponent
            }
        }
        bundledSearchRoots = roots
    }

    /// The running executable's resolved path (`/proc/self/exe` on Linux).
    static func executablePath() -> String? {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return p
        }
        return CommandLine.arguments.first.map {
            URL(fileURLWithPath: $0).resolvingSymlinksInPath().path
        }
    }

    /// The folder an installed model called `name` has (whether or not it exists).
    public func folder(for name: String) -> String {
        modelsDirectory + "/" + name
    }

    /// Checks that `name` is usable as a folder name.
    public static func validate(name: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 100, name.allSatisfy({ allowed.contains($0) }),
            !name.hasPrefix("."), !name.hasSuffix(".partial")
        else { throw ModelHubError.invalidName(name) }
    }

    /// True when `folder` holds a complete model.
    public static func isCompleteModel(folder: String, family: String? = nil) -> Bool {
        let fm = FileManager.default
        guard fm.fileExists(atPath: folder + "/model.safetensors") else { return false }
        if family == "openclip-xlmr" { return true }
        return fm.fileExists(atPath: folder + "/config.json")
    }

    /// Installed and bundled models: registry ones in registry order, then imported
    /// ones by name, then bundled ones.
    public func installedModels() -> [InstalledModel] {
        var result: [InstalledModel] = []
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: modelsDirectory)) ?? [])
            .filter { !$0.hasPrefix(".") && !$0.hasSuffix(".partial") }
        for entry in ModelRegistry.entries where names.contains(entry.name) {
            let path = folder(for: entry.name)
            if ModelLibrary.isCompleteModel(folder: path, family: entry.family) {
                result.append(
                    InstalledModel(name: entry.name, path: path, entry: entry, isBundled: false))
            }
        }
        for name in names.sorted() where ModelRegistry.entry(named: name) == nil {
            let path = folder(for: name)
            if ModelLibrary.isCompleteModel(folder: path) {
                let manifest = ModelManifest.read(folder: path)
                let entry = ModelEntry(
                    name: name, family: manifest?.family ?? "chinese-clip", title: "imported",
                    source: .imported, licence: manifest?.licence ?? "unknown (imported)")
                result.append(
                    InstalledModel(name: name, path: path, entry: entry, isBundled: false))
            }
        }
        result.append(contentsOf: bundledModels())
        return result
    }

    /// Models in the first bundled `models/` folder found.
    public func bundledModels() -> [InstalledModel] {
        let fm = FileManager.default
        for root in bundledSearchRoots {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue,
                let names = try? fm.contentsOfDirectory(atPath: root)
            else { continue }
            let models = names.sorted().compactMap { name -> InstalledModel? in
                let path = root + "/" + name
                guard !name.hasPrefix("."), ModelLibrary.isCompleteModel(folder: path) else {
                    return nil
                }
                let entry = ModelEntry(
                    name: name, family: "chinese-clip", title: "bundled demo model",
                    source: .bundled(path: path),
                    licence: "same as picseek (trained by the project)")
                return InstalledModel(name: name, path: path, entry: entry, isBundled: true)
            }
            if !models.isEmpty { return models }
        }
        return []
    }

    /// The installed or bundled model called `name`, if any.
    public func installed(named name: String) -> InstalledModel? {
        installedModels().first { $0.name == name }
            ?? installedModels().first { $0.name.lowercased() == name.lowercased() }
    }

    /// The model `resolved` names: the installed one when it lives in the resolved folder,
    /// else a description of that folder as a model not installed here (`picseek model
    /// info` on a folder).
    public func model(for resolved: ResolvedModel) -> InstalledModel {
        if let model = installed(named: resolved.name), model.path == resolved.folder {
            return model
        }
        return InstalledModel(
            name: resolved.name, path: resolved.folder, entry: resolved.entry, isBundled: false)
    }
}

/// A model present on disk.
public struct InstalledModel: Sendable, Equatable {
    public var name: String
    /// The model folder.
    public var path: String
    /// The registry entry, or one describing an imported or bundled model.
    public var entry: ModelEntry
    public var isBundled: Bool

    /// Describes a model folder.
    public init(name: String, path: String, entry: ModelEntry, isBundled: Bool) {
        self.name = name
        self.path = path
        self.entry = entry
        self.isBundled = isBundled
    }

    /// Bytes the folder's files occupy on disk (allocated blocks).
    public var sizeOnDisk: Int64 {
        var total: Int64 = 0
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: path)) ?? [] {
            var info = stat()
            if lstat(path + "/" + name, &info) == 0 { total += Int64(info.st_blocks) * 512 }
        }
        return total
    }
}
