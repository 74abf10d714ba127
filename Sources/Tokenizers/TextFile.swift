import Foundation

/// Reading tokenizer files into memory with typed errors.
enum TextFile {
    /// The bytes of the file at `path`.
    static func bytes(_ path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TokenizerError.unreadableFile(path: path, reason: "no such file")
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
            return [UInt8](data)
        } catch {
            throw TokenizerError.unreadableFile(path: path, reason: "\(error.localizedDescription)")
        }
    }

    /// The file at `path` decoded as strict UTF-8.
    static func string(_ path: String) throws -> String {
        let data = try bytes(path)
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TokenizerError.notUTF8(path: path)
        }
        return text
    }
}
