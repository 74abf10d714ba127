import Testing

@testable import Library

@Suite("Watch options")
struct WatchOptionsTests {
    @Test("rescan minutes become the rescan interval in seconds; zero or less is refused")
    func rescanMinutes() throws {
        var scan = ScanOptions()
        scan.includeHidden = true
        let options = try WatchOptions(scan: scan, rescanMinutes: 2.5)
        #expect(options.rescanInterval == 150)
        #expect(options.scan.includeHidden)
        for minutes in [0, -1, Double.nan] {
            #expect(throws: WatchError.rescanNotPositive) {
                try WatchOptions(scan: ScanOptions(), rescanMinutes: minutes)
            }
        }
        #expect(WatchError.rescanNotPositive.description == "--rescan-minutes must be above 0")
    }
}
