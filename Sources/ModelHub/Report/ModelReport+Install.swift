import PicseekCore

extension ModelReport {
    /// What `picseek model fetch NAME` says before downloading `entry`, a model this build
    /// cannot search with yet; nil for a model it can use (or one the registry does not know).
    public static func fetchNote(name: String, entry: ModelEntry?) -> String? {
        guard let why = entry?.unsupportedReason else { return nil }
        return "note: \(TerminalSafe.escape(name)) \(why); it is downloaded and converted "
            + "but cannot be used for search yet"
    }

    /// `installed NAME in FOLDER`, the last line of `picseek model fetch` and `import`.
    public static func installedLine(name: String, folder: String) -> String {
        "installed \(TerminalSafe.escape(name)) in \(TerminalSafe.escape(folder))"
    }
}
