import Foundation

/// Files shipped inside ModelHub's resource bundle.
///
/// The bundle is looked up by hand (next to the executable or the main bundle) rather than
/// through `Bundle.module`, whose accessor stops the program when the bundle is missing.
enum BundledResources {
    /// The Chinese-CLIP WordPiece vocabulary (21128 entries), copied from the project's
    /// shared data (identical to `cn_clip/clip/vocab.txt` and the HF repositories' vocab.txt).
    static var chineseCLIPVocab: String? { path(of: "chinese-clip-vocab.txt") }

    /// Number of entries in the bundled vocabulary.
    static let chineseCLIPVocabSize = 21128

    static func path(of name: String) -> String? {
        var folders = [Bundle.main.bundlePath, Bundle.main.resourcePath ?? ""]
        if let exe = ModelLibrary.executablePath() {
            folders.append((exe as NSString).deletingLastPathComponent)
        }
        for folder in folders where !folder.isEmpty {
            for bundle in ["picseek_ModelHub.resources", "picseek_ModelHub.bundle"] {
                let candidate = "\(folder)/\(bundle)/\(name)"
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
            }
        }
        return nil
    }
}
