import Foundation

/// A Hugging Face `config.json` as a JSON object, read once for every model-file user:
/// `CLIP` builds its towers from it, `ModelHub` shows and checks its numbers.
///
/// Only the form is checked here (a JSON object); each reader checks the keys it needs
/// and names them in its own errors.
public struct HuggingFaceConfig {
    /// The top-level object.
    public let root: [String: Any]

    /// Parses `json`; anything but a JSON object is refused.
    public init(json: Data, file: String) throws(ModelFileError) {
        guard let object = try? JSONSerialization.jsonObject(with: json),
            let root = object as? [String: Any]
        else { throw .badConfig(file: file, reason: "not a JSON object") }
        self.root = root
    }

    /// Reads and parses the file at `path`.
    public static func read(path: String) throws(ModelFileError) -> HuggingFaceConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, reason: "cannot read")
        }
        return try HuggingFaceConfig(json: data, file: path)
    }

    /// `model_type`, when the file states it.
    public var modelType: String? { root["model_type"] as? String }

    /// The object under `key` (`text_config`, `vision_config`), if there is one.
    public func section(_ key: String) -> [String: Any]? { root[key] as? [String: Any] }

    /// The object under `key`, or under the older `key_dict` that `transformers` still
    /// reads, if there is one.
    public func sectionOrLegacy(_ key: String) -> [String: Any]? {
        section(key) ?? section(key + "_dict")
    }
}
