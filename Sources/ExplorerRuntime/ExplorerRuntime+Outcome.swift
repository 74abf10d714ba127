import PicseekCore

extension ExplorerRuntime.Outcome {
    /// The exit status of `picseek explore`: 128 + the signal that ended it (SIGTERM 143,
    /// SIGHUP 129), 130 after Ctrl-C, else 0.
    public var exitStatus: Int32 {
        signal.map { 128 + $0 } ?? (aborted ? 130 : 0)
    }

    /// What `picseek explore` writes to standard output as it ends: each marked photo's path
    /// followed by a newline, or by a NUL byte when `nulTerminated`; nothing when aborted.
    ///
    /// On a terminal (`toTerminal`) a path is escaped (`TerminalSafe.escape(bytes:)`);
    /// into a pipe or a file it is written byte for byte, so other programs get the exact
    /// file names.
    public func markedOutput(toTerminal: Bool, nulTerminated: Bool) -> [UInt8] {
        guard !aborted else { return [] }
        var bytes: [UInt8] = []
        for path in marked {
            bytes += toTerminal ? Array(TerminalSafe.escape(bytes: path).utf8) : path
            bytes.append(nulTerminated ? 0 : 10)
        }
        return bytes
    }
}
