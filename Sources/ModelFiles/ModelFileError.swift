/// Why a model file could not be read. Messages name the file; paths come from outside,
/// so escape them with `TerminalSafe.escape` before printing.
public enum ModelFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, examined or mapped.
    case io(path: String, reason: String)
    /// A safetensors header is malformed.
    case badSafetensors(file: String, reason: String)
    /// A byte range asked of a mapped file lies outside it.
    case outOfBounds(file: String, reason: String)
    /// A JSON configuration file is malformed.
    case badConfig(file: String, reason: String)

    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): \(reason)"
        case .badSafetensors(let file, let reason):
            return "\(file): not a valid safetensors file: \(reason)"
        case .outOfBounds(let file, let reason), .badConfig(let file, let reason):
            return "\(file): \(reason)"
        }
    }
}
