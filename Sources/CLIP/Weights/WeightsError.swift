/// Why model files could not be loaded. Every case names the file and, where it
/// applies, the tensor, the expected and the found value.
public enum WeightsError: Error, Equatable, CustomStringConvertible {
    /// A required file does not exist or cannot be read.
    case unreadable(file: String, reason: String)
    /// The safetensors header is not valid (length, JSON, entry fields).
    case badHeader(file: String, reason: String)
    /// A tensor the model needs is absent.
    case missingTensor(name: String, file: String)
    /// A tensor has a different shape than the configuration implies.
    case wrongShape(name: String, expected: [Int], found: [Int], file: String)
    /// A tensor's dtype is not one of F32, F16, BF16.
    case unsupportedDType(name: String, found: String, file: String)
    /// A tensor's data lies (partly) beyond the end of the file.
    case truncated(name: String, end: Int, fileSize: Int, file: String)
    /// A tensor's byte range does not match its shape and dtype.
    case badDataRange(name: String, expectedBytes: Int, foundBytes: Int, file: String)
    /// `config.json` or `preprocessor_config.json` has a missing or invalid value.
    case badConfig(file: String, key: String, reason: String)
    /// The folder holds the weights only in a format read by `picseek model import`
    /// (a PyTorch pickle), not as safetensors.
    case needsImport(folder: String, found: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "cannot read \(file): \(reason)"
        case .badHeader(let file, let reason):
            return "bad safetensors header in \(file): \(reason)"
        case .missingTensor(let name, let file):
            return "tensor \(name): missing from \(file)"
        case .wrongShape(let name, let expected, let found, let file):
            return "tensor \(name): expected shape \(expected), found \(found) in \(file)"
        case .unsupportedDType(let name, let found, let file):
            return "tensor \(name): expected dtype F32, F16 or BF16, found \(found) in \(file)"
        case .truncated(let name, let end, let fileSize, let file):
            return "tensor \(name): data ends at byte \(end) but \(file) has only \(fileSize) bytes"
                + " (truncated file)"
        case .badDataRange(let name, let expected, let found, let file):
            return "tensor \(name): expected \(expected) bytes of data, found \(found) in \(file)"
        case .badConfig(let file, let key, let reason):
            return "\(file): \(key): \(reason)"
        case .needsImport(let folder, let found):
            return "\(folder) has no model.safetensors, only \(found); "
                + "convert it once with `picseek model import \(folder)`"
        }
    }
}
