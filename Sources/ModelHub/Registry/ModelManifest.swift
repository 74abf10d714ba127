import Foundation

/// `picseek-model.json`, written into a model folder last, just before it is renamed
/// into place: where the model came from and the verified files.
public struct ModelManifest: Codable, Equatable, Sendable {
    /// One verified file.
    public struct File: Codable, Equatable, Sendable {
        public var name: String
        public var bytes: Int64
        /// SHA-256 when it was verified against one (downloads), else nil.
        public var sha256: String?
    }

    public var name: String
    public var family: String
    /// "huggingface:REPO", "import:PATH" or similar.
    public var source: String
    public var licence: String
    public var files: [File]
    /// Notes from conversion (dropped tensors, synthesised files).
    public var notes: [String]

    /// The file name inside the model folder.
    public static let fileName = "picseek-model.json"

    /// Reads the manifest of `folder`, or nil when absent or unreadable.
    public static func read(folder: String) -> ModelManifest? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + fileName) else {
            return nil
        }
        return try? JSONDecoder().decode(ModelManifest.self, from: data)
    }

    /// Writes the manifest into `folder` atomically.
    func write(folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        let out = try OutputFile(finalPath: folder + "/" + ModelManifest.fileName)
        do {
            try out.write([UInt8](data))
            try out.commit()
        } catch {
            out.discard()
            throw error
        }
    }
}
