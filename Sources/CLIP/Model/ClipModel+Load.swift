import PicseekCore

extension ClipModel {
    /// Loads the model folder `folder` as `init(directory:imagePrecision:)` does, with
    /// `name` (the model's name, as chosen) in the error.
    public static func load(
        folder: String, name: String, imagePrecision: ImagePrecision = .float32
    ) throws(ModelLoadError) -> ClipModel {
        do {
            return try ClipModel(directory: folder, imagePrecision: imagePrecision)
        } catch {
            throw ModelLoadError(name: name, folder: folder, reason: "\(error)")
        }
    }
}

/// A model that could not be loaded: `cannot load model NAME from FOLDER: REASON`, every
/// part escaped for a terminal.
public struct ModelLoadError: Error, Equatable, CustomStringConvertible {
    /// The model's name, as chosen.
    public let name: String
    /// The model folder.
    public let folder: String
    /// Why it could not be loaded (the `WeightsError`'s text).
    public let reason: String

    /// An error about the model `name` in `folder`, failing for `reason`.
    public init(name: String, folder: String, reason: String) {
        self.name = name
        self.folder = folder
        self.reason = reason
    }

    /// The message, escaped.
    public var description: String {
        "cannot load model \(TerminalSafe.escape(name)) from "
            + "\(TerminalSafe.escape(folder)): \(TerminalSafe.escape(reason))"
    }
}
