import PicseekCore

extension Indexer {
    /// `thumbnails not saved: PROBLEM (picseek doctor --repair makes them later)`, not yet
    /// escaped: the warning when the thumbnail database cannot take previews.
    public static func thumbnailsNotSaved(_ problem: String) -> String {
        "thumbnails not saved: \(problem) (picseek doctor --repair makes them later)"
    }

    /// Runs over `roots` with the progress bar on standard error (`ProgressRenderer`).
    ///
    /// Warnings during the run clear the bar and go to `warn` escaped, after `warning: `;
    /// then each of the report's problems goes to `warn` and its summary line to `output`.
    public func runShowingProgress(
        roots: [[UInt8]], control: IndexControl, output: (String) -> Void,
        warn: @escaping (String) -> Void
    ) throws -> IndexReport {
        let renderer = ProgressRenderer()
        self.warn = { text in
            renderer.finish()
            warn("warning: " + TerminalSafe.escape(text))
        }
        let report = try run(roots: roots, control: control) { renderer.show($0) }
        renderer.finish()
        for problem in report.problems { warn("warning: \(problem)") }
        output(report.summaryLine)
        return report
    }
}
