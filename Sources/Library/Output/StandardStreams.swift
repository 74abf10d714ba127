import Foundation

/// Unbuffered writes of whole lines to standard output and standard error.
///
/// Progress and messages written this way appear at once, also when the stream is a pipe
/// (a service's output, a test reading the command).
public enum StandardStreams {
    /// Writes `text` and a newline to standard error.
    public static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes `text` and a newline to standard output at once.
    public static func output(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes `text` as it is (no newline) to standard error.
    public static func errorRaw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
