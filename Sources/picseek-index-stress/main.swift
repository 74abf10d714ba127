// picseek-index-stress: indexes folders with a fake model so the kill test in
// LibraryTests can SIGKILL it at random moments and check the index.
//
// Usage: picseek-index-stress --db PATH-OR-URL [--delay-ms N] ROOT...
//
// The "model" is honest about what it is: a fixed random projection of a
// byte histogram, so equal files get equal vectors and a clean run and a
// killed-and-resumed run must agree bit for bit. --delay-ms stands in for the
// time a real decoder needs per photo.
import Foundation
import Library
import PicseekCore
import PicseekTestSupport
import Store

func parse() -> (db: String, delay: UInt32, roots: [[UInt8]])? {
    var db: String?
    var delay: UInt32 = 0
    var roots: [[UInt8]] = []
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let arg = args.next() {
        switch arg {
        case "--db": db = args.next()
        case "--delay-ms": delay = args.next().flatMap { UInt32($0) } ?? 0
        default: roots.append(Array(arg.utf8))
        }
    }
    guard let db, !roots.isEmpty else { return nil }
    return (db, delay, roots)
}

guard let (dbPath, delayMs, roots) = parse() else {
    FileHandle.standardError.write(
        Data("usage: picseek-index-stress --db PATH [--delay-ms N] ROOT...\n".utf8))
    exit(2)
}

do {
    let store = try IndexOpening.open(dbPath, for: .write)
    var options = IndexOptions()
    options.commitEvery = 16
    options.commitInterval = 0.05
    // The shared fakes: a fixed random projection (16 dimensions, seed 7) of a byte
    // histogram, and stand-in thumbnail bytes (this helper links no image codec).
    let embedder = FakeEmbedder(
        name: "stress-projection", dimension: 16, seed: 7, fingerprint: "seed-7")
    let indexer = Indexer(
        store: store, embedder: embedder,
        processor: Fakes.processor(delayMicroseconds: delayMs * 1000),
        encodeThumbnail: Fakes.rawThumbnail, options: options)
    let report = try indexer.run(roots: roots)
    print(
        "scanned \(report.scanned) added \(report.added) failed \(report.failed) "
            + "removed \(report.removed) moved \(report.moved)")
} catch {
    FileHandle.standardError.write(Data("picseek-index-stress: \(error)\n".utf8))
    exit(1)
}
