import PicseekCore

/// A message for the user; ArgumentParser prints it as "Error: …" and exits non-zero.
struct CLIError: Error, CustomStringConvertible {
    var description: String

    /// A message written by picseek; any text from outside in it is already escaped.
    init(_ message: String) { description = message }

    /// Wraps a library error, escaping its text line by line for the terminal.
    init(_ error: Error) {
        description = "\(error)".split(separator: "\n", omittingEmptySubsequences: false)
            .map { TerminalSafe.escape(String($0)) }.joined(separator: "\n")
    }

    /// The value of `body`; a library error it throws is wrapped as `CLIError(error)`.
    static func wrapping<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw CLIError(error)
        }
    }
}
