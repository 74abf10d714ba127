import Testing

@testable import ExplorerRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// What `picseek explore` prints and exits with once the explorer has ended.
@Suite("explorer outcome")
struct OutcomeTests {
    let marked: [[UInt8]] = [Array("/p/a.jpg".utf8), [0x2F, 0x62, 0x1B, 0xFF]]

    @Test("marked paths are exact bytes into a pipe, one per line or NUL-ended")
    func pipe() {
        let outcome = ExplorerRuntime.Outcome(marked: marked, aborted: false)
        #expect(
            outcome.markedOutput(toTerminal: false, nulTerminated: false)
                == marked[0] + [10] + marked[1] + [10])
        #expect(
            outcome.markedOutput(toTerminal: false, nulTerminated: true)
                == marked[0] + [0] + marked[1] + [0])
    }

    @Test("marked paths are escaped on a terminal")
    func terminal() {
        let outcome = ExplorerRuntime.Outcome(marked: marked, aborted: false)
        let text = outcome.markedOutput(toTerminal: true, nulTerminated: false)
        #expect(text == Array("/p/a.jpg\n/b\\e\\xFF\n".utf8))
    }

    @Test("an aborted explorer prints nothing")
    func aborted() {
        let outcome = ExplorerRuntime.Outcome(marked: marked, aborted: true)
        #expect(outcome.markedOutput(toTerminal: false, nulTerminated: false).isEmpty)
    }

    @Test("the exit status is 0 after q, 130 after Ctrl-C, 128 + a signal")
    func exitStatus() {
        #expect(ExplorerRuntime.Outcome(marked: [], aborted: false).exitStatus == 0)
        #expect(ExplorerRuntime.Outcome(marked: [], aborted: true).exitStatus == 130)
        let term = ExplorerRuntime.Outcome(marked: [], aborted: true, signal: SIGTERM)
        #expect(term.exitStatus == 143)
    }
}
