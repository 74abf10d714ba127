import PicseekCore

/// The lines of `picseek errors` and `picseek forget`, every string from disk escaped.
public enum MaintenanceText {
    /// `PATH: REASON` for a photo that could not be indexed (`unknown error` without one).
    public static func failedLine(path: [UInt8], error: String?) -> String {
        "\(RawPath.display(path)): \(TerminalSafe.escape(error ?? "unknown error"))"
    }

    /// `PATH: forgot N photos` (`1 photo`) after `picseek forget PATH`.
    public static func forgotLine(path: [UInt8], removed: Int) -> String {
        "\(RawPath.display(path)): forgot \(removed) photo\(removed == 1 ? "" : "s")"
    }
}
