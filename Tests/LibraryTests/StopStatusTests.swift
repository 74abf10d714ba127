import Library
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("How an interrupted or degraded index run reports itself")
struct StopStatusTests {
    @Test("a stopped command exits 128 + the signal, 130 when none is known")
    func exitStatus() {
        #expect(InterruptHandler.exitStatus(for: SIGINT) == 130)
        #expect(InterruptHandler.exitStatus(for: SIGTERM) == 143)
        #expect(InterruptHandler.exitStatus(for: SIGHUP) == 129)
        #expect(InterruptHandler.exitStatus(for: nil) == 130)
    }

    @Test("the thumbnail warning names the problem and the repair")
    func thumbnails() {
        #expect(
            Indexer.thumbnailsNotSaved("disk full")
                == "thumbnails not saved: disk full (picseek doctor --repair makes them later)")
    }
}
