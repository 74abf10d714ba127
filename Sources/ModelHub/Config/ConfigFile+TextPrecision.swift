import PicseekCore

extension ConfigFile {
    /// The `text_precision` setting of the config file at `path` (`fp32` or `bf16`), or nil
    /// when the file or the setting is absent.
    ///
    /// Throws the file's error when it cannot be read or parsed, and `ConfigValueError` for
    /// any other value.
    public static func textPrecision(path: String) throws -> String? {
        let config = try ConfigFile.load(path: path)
        guard let value = config.values["text_precision"] else { return nil }
        guard ["fp32", "bf16"].contains(value) else {
            throw ConfigValueError(
                "\(TerminalSafe.escape(path)): text_precision: expected \"fp32\" or \"bf16\", "
                    + "found \(TerminalSafe.escape(value))")
        }
        return value
    }
}
