extension Watcher {
    /// Runs until SIGINT, SIGTERM or SIGHUP (`StopSignals`), which stop the watch after the
    /// update in progress (its transaction commits); then passes `stopped watching` to
    /// `output` and returns the signal that stopped it, if one did.
    public func runUntilSignalled(output: (String) -> Void) throws -> Int32? {
        let stop = StopSignals { _ in self.stop() }
        defer { stop.cancel() }
        try run()
        output("stopped watching")
        return stop.caught.value
    }
}
