import Foundation
import PicseekCore
import PicseekTestSupport
import Store
import Testing

@testable import Library

#if canImport(Glibc)
    import Glibc
#endif

/// Writes `count` small files, every 37th one "broken", into a tree.
private func generatePhotos(_ tree: TempTree, count: Int) {
    for i in 0..<count {
        let folder = "set\(i % 7)"
        let body =
            i % 37 == 5
            ? "BROKEN \(i)"
            : String(repeating: "photo-\(i)-\(i * i % 97) ", count: 1 + i % 13)
        tree.write("\(folder)/img\(i).jpg", body)
    }
}

/// Rows and vectors of an index in a comparable form.
private func snapshot(_ store: any PhotoIndex) throws -> [String] {
    guard let model = try store.models().first else { return [] }
    return try store.allPhotos().map { p in
        let vector = try store.vector(photoID: p.id, model: model) ?? []
        let hash = SHA256.hash(
            (p.contentHash ?? [])
                + vector.flatMap { v in
                    withUnsafeBytes(of: v.bitPattern) { Array($0) }
                })
        return "\(RawPath.display(p.path)) \(p.size) \(p.mtimeNs) \(p.width ?? -1) "
            + "\(p.error ?? "-") \(hash.prefix(8))"
    }
}

private func stressExecutable() -> String? {
    let me = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = me.deletingLastPathComponent()
    // The test bundle may be a folder (…/picseekPackageTests.xctest/…) on some setups.
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("picseek-index-stress").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}

private func spawn(
    _ exe: String, db: String, root: String, delayMs: Int, errors: String? = nil
) throws -> Process {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = ["--db", db, "--delay-ms", String(delayMs), root]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    if let errors, FileManager.default.createFile(atPath: errors, contents: nil) {
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
    }
    try p.run()
    return p
}

@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
    @Test("kill -9 at random moments at least 10 times; the resumed index equals a clean run's")
    func killAndResume() throws {
        let (cleanTree, cleanDB) = TempTree.databasePath()
        let (killedTree, killedDB) = TempTree.databasePath()
        defer { _ = (cleanTree, killedTree) }
        try killAndResume(cleanDB: cleanDB, killedDB: killedDB) { try IndexStore.open(path: $0) }
        #expect(try IndexStore.open(path: killedDB).integrityCheck() == ["ok"])
    }

    @Test(
        "PostgreSQL: kill -9 at random moments at least 10 times; resumed equals a clean run",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    func killAndResumePostgres() throws {
        let cleanDB = try PostgresTestServer.freshDatabase()
        let killedDB = try PostgresTestServer.freshDatabase()
        try killAndResume(cleanDB: cleanDB, killedDB: killedDB) {
            try IndexOpening.open($0, for: .write)
        }
    }

    @Test(
        "PostgreSQL: two indexers started at once on one root share it; every photo once",
        .enabled(if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason)))
    func twoIndexersPostgres() throws {
        let exe = try #require(
            stressExecutable(), "picseek-index-stress not built beside the tests")
        let tree = TempTree()
        generatePhotos(tree, count: 200)
        let url = try PostgresTestServer.freshDatabase()
        let children = try (0..<2).map { _ in
            // Slow enough decoding (20 ms a photo) that the two runs overlap.
            try spawn(exe, db: url, root: tree.rootString, delayMs: 20)
        }
        for child in children {
            child.waitUntilExit()
            #expect(child.terminationReason == .exit && child.terminationStatus == 0)
        }
        let store = try IndexOpening.open(url, for: .read)
        let photos = try store.allPhotos()
        #expect(photos.count == 200)
        #expect(Set(photos.map(\.path)).count == 200)
        let model = try #require(try store.models().first)
        let healthy = 200 - (try store.failedPhotos().count)
        #expect(try store.vectorCount(model: model) == healthy)
        let runs = try store.runs()
        #expect(runs.count == 2)
        #expect(runs.allSatisfy { $0.outcome == "completed" })
        // Embedded once, the work shared: each run claimed folders the other had not.
        let added: [Int] = runs.map(\.added)
        let failed: [Int] = runs.map(\.failed)
        #expect(added.reduce(0, +) == healthy, "\(added)")
        #expect(failed.reduce(0, +) == 200 - healthy, "\(failed)")
        #expect(added.allSatisfy { $0 > 0 }, "both indexers added photos: \(added)")
    }

    /// Kills the stress indexer writing `killedDB` again and again until one run finishes,
    /// then compares that index with one clean run into `cleanDB`.
    private func killAndResume(
        cleanDB: String, killedDB: String, open: (String) throws -> any PhotoIndex
    ) throws {
        let exe = try #require(
            stressExecutable(), "picseek-index-stress not built beside the tests")
        let tree = TempTree()
        generatePhotos(tree, count: 300)

        var rng = SeededGenerator.fromEnvironment()
        print(
            "kill test: seed \(rng.seed) (PICSEEK_TEST_SEED=\(rng.seed) replays the kill moments)")
        var kills = 0
        var finished = false
        var attempts = 0
        var round = 0
        while !finished && attempts < 400 {
            attempts += 1
            let errors = NSTemporaryDirectory() + "picseek-stress-\(getpid())-errors"
            defer { try? FileManager.default.removeItem(atPath: errors) }
            let child = try spawn(
                exe, db: killedDB, root: tree.rootString, delayMs: 10, errors: errors)
            // Start-up takes ~0.1 s in a debug build; kill anywhere after it.
            usleep(UInt32.random(in: 60_000...500_000, using: &rng))
            if child.isRunning {
                kill(child.processIdentifier, SIGKILL)
                child.waitUntilExit()
                if child.terminationReason == .uncaughtSignal { kills += 1 }
            } else {
                child.waitUntilExit()
                let said = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                #expect(child.terminationStatus == 0, "\(said)")
                finished = child.terminationReason == .exit && child.terminationStatus == 0
                if finished && kills < 10 {
                    // A fast machine finished early: change some photos and keep killing.
                    round += 1
                    // Broken photos stay broken (changed), so the end state still has some.
                    for i in stride(from: round, to: 300, by: 5) {
                        let body = "changed in round \(round) \(i)"
                        tree.write("set\(i % 7)/img\(i).jpg", i % 37 == 5 ? "BROKEN " + body : body)
                    }
                    finished = false
                }
            }
        }
        #expect(finished)
        #expect(kills >= 10)
        print("kill test: \(kills) SIGKILLs over \(attempts) starts")

        // The reference: one uninterrupted run over the final tree.
        let clean = try spawn(exe, db: cleanDB, root: tree.rootString, delayMs: 0)
        clean.waitUntilExit()
        #expect(clean.terminationStatus == 0)

        let a = try open(cleanDB)
        let b = try open(killedDB)
        let rowsA = try snapshot(a)
        let rowsB = try snapshot(b)
        #expect(rowsA.count == 300)
        #expect(rowsB.count == rowsA.count)
        let differing = zip(rowsA, rowsB).filter { $0 != $1 }.count
        #expect(differing == 0, "\(differing) rows differ from the clean run")
        // Every healthy photo has exactly one vector; broken ones none.
        let model = try #require(try b.models().first)
        #expect(try b.vectorCount(model: model) == 300 - (try b.failedPhotos().count))
        #expect(try b.failedPhotos().count == a.failedPhotos().count)
        #expect(try a.failedPhotos().count >= 1)
    }

    @Test("a searcher reading while the indexer writes never sees 'database is locked'")
    func concurrentSearcher() throws {
        let f = try IndexFixture()
        generatePhotos(f.tree, count: 300)
        let options = { () -> IndexOptions in
            var o = IndexOptions()
            o.commitEvery = 5
            o.commitInterval = 0
            return o
        }()
        let done = Locked(false)
        let failure = Locked<String?>(nil)
        let writer = Thread {
            do { _ = try f.index(options: options) } catch { failure.value = "indexer: \(error)" }
            done.value = true
        }
        writer.start()
        // A separate connection pool, as another process would open.
        let reader = try IndexStore.open(path: f.dbPath)
        let engine = SearchEngine(store: reader, embedder: f.embedder, templates: .none)
        var searches = 0
        var lockErrors: [String] = []
        while !done.value || searches == 0 {
            do {
                var request = SearchRequest(query: .text("photo-12"))
                request.top = 5
                _ = try engine.search(request)
                searches += 1
            } catch SearchError.noVectors {
                continue // the indexer has not registered its model yet
            } catch {
                lockErrors.append("\(error)")
            }
        }
        #expect(failure.value == nil)
        #expect(lockErrors.isEmpty, "\(lockErrors.prefix(3))")
        #expect(searches > 0)
        #expect(try engine.search(SearchRequest(query: .text("photo-12"))).count == 10)
        #expect(engine.count == 292)
    }
}
