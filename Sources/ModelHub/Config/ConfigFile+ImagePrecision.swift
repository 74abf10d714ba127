import PicseekCore

extension ConfigFile {
    /// The spellings `image_precision` accepts.
    public static let imagePrecisionValues = ["fp32", "bf16", "int8"]

    /// The `image_precision` setting of the config file at `path` (`fp32`, `bf16` or `int8`), or
    /// nil when the file or the setting is absent.
    ///
    /// Throws the file's error when it cannot be read or parsed, and `ConfigValueError` for
    /// any other value.
    public static func imagePrecision(path: String) throws -> String? {
        let config = try ConfigFile.load(path: path)
        guard let value = config.values["image_precision"] else { return nil }
        guard imagePrecisionValues.contains(value) else {
            throw ConfigValueError(
                "\(TerminalSafe.escape(path)): image_precision: expected \"fp32\", \"bf16\" "
                    + "or \"int8\", "
                    + "found \(TerminalSafe.escape(value))")
        }
        return value
    }
}

/// A setting in the config file with a value picseek does not accept; the message names
/// the file and the setting, already escaped for a terminal.
public struct ConfigValueError: Error, Equatable, CustomStringConvertible {
    /// The message.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}
