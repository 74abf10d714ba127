import Foundation
import PicseekCore
import PicseekTestSupport
import Testing

@testable import Library
@testable import Store

#if canImport(Glibc)
    import Glibc
#endif

/// The test starts a server of its own (it stops and starts it), with the script that starts
/// the shared one; it runs where that one runs: in CI, and wherever the variable is set.
private let canStartServer = Testing.ConditionTrait.enabled(
    if: PostgresTestServer.enabled,
    Comment(
        rawValue: PostgresTestServer.skipReason
            + "; this test starts its own server with scripts/pg-test-server"))

/// A PostgreSQL server in a temporary folder of its own, which a test may stop and start
/// (`scripts/pg-test-server`); stopped and deleted when released.
private final class OwnServer {
    let folder: String
    private(set) var url = ""
    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/pg-test-server").path

    init() throws {
        folder = NSTemporaryDirectory() + "/picseek-pg-restart-" + UUID().uuidString.prefix(8)
        url = try Self.run("start", folder)
    }

    deinit {
        _ = try? Self.run("stop", folder)
        try? FileManager.default.removeItem(atPath: folder)
    }

    func stop() throws { _ = try Self.run("stop", folder) }
    func start() throws { url = try Self.run("start", folder) }

    /// Runs the script with an argument vector (`posix_spawn`, waited for with `waitpid`);
    /// returns its output's last line. Its output goes to files: the server it starts
    /// outlives it, and would hold a pipe (or `Process`'s own watch on the child) open.
    private static func run(_ command: String, _ folder: String) throws -> String {
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true)
        let outPath = folder + "/script.out"
        let errorPath = folder + "/script.err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(
            &actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let words: [String] = [script, command, folder]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let started = posix_spawn(&pid, script, &actions, nil, argv, environ)
        guard started == 0 else {
            throw ServerScriptFailed(command: command, output: String(cString: strerror(started)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7F == 0 && (status >> 8) & 0xFF == 0
        guard exited else {
            let problems = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
            throw ServerScriptFailed(command: command, output: problems)
        }
        return text.split(separator: "\n").last.map(String.init) ?? ""
    }
}

private struct ServerScriptFailed: Error, CustomStringConvertible {
    var command: String
    var output: String
    var description: String { "scripts/pg-test-server \(command) failed: \(output)" }
}

/// Set once from the indexer's progress callback.
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    /// True the first time only.
    func claim() -> Bool {
        lock.withLock {
            if done { return false }; done = true; return true
        }
    }
}

/// What an index holds, comparable between two databases: every photo's path, content,
/// facts, error and vector, and the thumbnails' count.
private struct Contents: Equatable {
    var photos: [String]
    var vectors: [String: [Float]]
    var thumbnails: Int

    init(_ store: PostgresStore) throws {
        photos = try store.allPhotos().map {
            "\(String(decoding: $0.path, as: UTF8.self)) \($0.size) \($0.mtimeNs) "
                + "\($0.contentHash ?? []) \($0.width ?? -1) \($0.error ?? "")"
        }
        vectors = [:]
        for model in try store.models() {
            let set = try store.loadVectors(model: model)
            for (row, path) in set.paths.enumerated() {
                let start = row * model.dimension
                vectors[String(decoding: path, as: UTF8.self)] = Array(
                    set.matrix[start..<(start + model.dimension)])
            }
        }
        thumbnails = try store.thumbnails.count()
    }
}

@Suite("PostgreSQL server restarted during an index run", .serialized)
struct PostgresRestartTests {
    @Test(
        "the run stops with a clear message, nothing half-written stays, a rerun equals a clean run",
        canStartServer)
    func restartMidRun() throws {
        let server = try OwnServer()
        let tree = TempTree()
        for i in 0..<60 {
            tree.write("f\(i % 3)/photo-\(i).jpg", i == 7 ? "BROKEN \(i)" : "photo number \(i)")
        }
        let url = try PostgresStore.createDatabase(serverURL: server.url, name: "picseek_restart")
        var options = IndexOptions()
        options.batchSize = 2
        options.commitEvery = 4
        options.decodeThreads = 1
        func indexer(_ store: any PhotoIndex) -> Indexer {
            Indexer(
                store: store, embedder: FakeEmbedder(), processor: Fakes.processor,
                encodeThumbnail: Fakes.rawThumbnail, options: options)
        }

        let store = try PostgresStore.open(url: url)
        let once = Once()
        var stoppedAt = 0
        let error = try #require(throws: PostgresError.self) {
            try indexer(store).run(roots: [tree.root]) { progress in
                // After a few commits, the server goes away in the middle of the run.
                guard progress.phase == .indexing, progress.done >= 12, once.claim() else {
                    return
                }
                stoppedAt = progress.done
                try? server.stop()
            }
        }
        #expect(stoppedAt >= 12)
        guard case .connectionLost = error else {
            Issue.record("expected connectionLost, got \(error)")
            return
        }
        #expect(error.description.contains("rolled back"))
        #expect(error.description.contains("run the command again"))

        try server.start()
        let after = try PostgresStore.open(url: url)
        let model = try #require(try after.models().first)
        let root = try RawPath.canonical(tree.root).get()
        let states = try after.photoStates(under: [root], modelID: model.id)
        // Some photos were committed, not all; each one whole (its vector, or its error).
        #expect(states.count >= 4 && states.count < 60)
        #expect(states.values.allSatisfy { $0.embedded != $0.failed })
        for state in states.values where !state.failed {
            let hash = try #require(state.contentHash)
            #expect(try after.thumbnails.contains(hash: hash))
        }
        let run = try #require(try after.runs().first)
        #expect(run.finishedAt == nil && !run.indexingNow)

        let rerun = try indexer(after).run(roots: [tree.root])
        #expect(rerun.unchanged == states.count)
        #expect(rerun.added + rerun.failed + rerun.unchanged == 60)

        let cleanURL = try PostgresStore.createDatabase(
            serverURL: server.url, name: "picseek_restart_clean")
        let clean = try PostgresStore.open(url: cleanURL)
        let report = try indexer(clean).run(roots: [tree.root])
        #expect(report.added == 59 && report.failed == 1)
        let resumed = try Contents(after)
        #expect(resumed.photos.count == 60)
        #expect(resumed == (try Contents(clean)))
    }
}
