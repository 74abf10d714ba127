import Foundation
import PicseekCore
import PicseekTestSupport
import Testing

@testable import Library
@testable import Store

private let needsServer = Testing.ConditionTrait.enabled(
    if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason))

@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test("messages never show the password, in the user part or the query")
    func redacted() {
        #expect(
            PostgresURL.redacted(
                "postgresql://ann:s3cret@nas:5432/photos?password=x&sslmode=require")
                == "postgresql://ann@nas:5432/photos?sslmode=require")
        #expect(PostgresURL.redacted("postgres://nas/photos") == "postgres://nas/photos")
        #expect(
            PostgresURL.redacted("postgresql:///photos?host=/run/pg")
                == "postgresql:///photos?host=/run/pg")
    }

    @Test("another database on the same server keeps host, user and options")
    func withDatabase() {
        #expect(
            PostgresURL.withDatabase("postgresql:///postgres?host=/s&user=u", "t1")
                == "postgresql:///t1?host=/s&user=u")
        #expect(
            PostgresURL.withDatabase("postgresql://u@h:5/old", "t2") == "postgresql://u@h:5/t2")
        #expect(PostgresURL.withDatabase("postgresql://h", "t3") == "postgresql://h/t3")
    }

    @Test("postgresql:// and postgres:// URLs open PostgreSQL; anything else is a file")
    func routing() throws {
        #expect(IndexOpening.isPostgres("postgresql://h/db"))
        #expect(IndexOpening.isPostgres("postgres://h/db"))
        #expect(!IndexOpening.isPostgres("/home/u/postgresql://x"))
        #expect(try DatabaseLocation.existing("postgres://h/db") == "postgres://h/db")
    }
}

@Suite("PostgreSQL store", .serialized)
struct PostgresStoreTests {
    @Test("no server on the socket: a clear error naming the database, no password")
    func unreachable() throws {
        let url = "postgresql://ann:s3cret@/photos?host=/nonexistent-socket-dir&connect_timeout=2"
        let error = try #require(throws: PostgresError.self) {
            try IndexOpening.open(url, for: .write)
        }
        guard case .unreachable = error else {
            Issue.record("expected unreachable, got \(error)")
            return
        }
        #expect(error.description.contains("is PostgreSQL running"))
        #expect(error.description.contains("postgresql://ann@/photos"))
        #expect(!error.description.contains("s3cret"))
    }

    @Test("a database that does not exist says so and how to create it", needsServer)
    func noDatabase() throws {
        let server = try #require(PostgresTestServer.url)
        let url = PostgresURL.withDatabase(server, "picseek_no_such_database")
        let error = try #require(throws: PostgresError.self) {
            try IndexOpening.open(url, for: .write)
        }
        #expect(error.description.contains("createdb"))
    }

    @Test("read-only commands on an empty database: no index there, nothing created", needsServer)
    func readOnlyNeedsIndex() throws {
        let url = try PostgresTestServer.freshDatabase()
        #expect(throws: PostgresError.noIndex(location: PostgresURL.redacted(url))) {
            try IndexOpening.open(url, for: .read)
        }
        #expect(throws: PostgresError.self) { try IndexOpening.open(url, for: .writeExisting) }
        let store = try PostgresStore.open(url: url, purpose: .write)
        #expect(try store.schemaVersionFound() == PostgresStore.schemaVersion)
        let reader = try IndexOpening.open(url, for: .read)
        #expect(reader.isReadOnly)
        #expect(throws: StoreError.self) { try reader.lockForWriting() }
        #expect(throws: PostgresError.self) { try reader.addRoot(Array("/p".utf8)) }
    }

    @Test("an index written by a newer picseek is refused, not changed", needsServer)
    func newerSchema() throws {
        let url = try PostgresTestServer.freshDatabase()
        let store = try PostgresStore.open(url: url)
        try store.withConnection { conn in
            try conn.execute(
                "INSERT INTO picseek.picseek_migrations VALUES ('v99-future', 0)")
        }
        for purpose in [IndexOpening.Purpose.write, .read] {
            let error = try #require(throws: StoreError.self) {
                try IndexOpening.open(url, for: purpose)
            }
            guard case .newerSchema(let found, let supported, _) = error else {
                Issue.record("expected newerSchema, got \(error)")
                continue
            }
            #expect(found == PostgresStore.schemaVersion + 1)
            #expect(supported == PostgresStore.schemaVersion)
        }
    }

    @Test("one indexer at a time: a second one says it waits, then takes its turn", needsServer)
    func writerLock() throws {
        let url = try PostgresTestServer.freshDatabase()
        let a = try PostgresStore.open(url: url)
        let b = try PostgresStore.open(url: url)
        let held = try #require(try a.lockForWriting())
        let state = LockState()
        b.lockWaitNotice = { state.set(notice: $0) }
        let thread = Thread {
            let lock = try? b.lockForWriting()
            state.set(taken: lock != nil)
            lock?.release()
        }
        thread.start()
        #expect(poll(seconds: 10) { state.notice != nil })
        #expect(state.notice?.contains("another indexer is writing") == true)
        #expect(!state.taken)
        held.release()
        #expect(poll(seconds: 10) { state.taken })
    }

    @Test("a model's other weights are refused; its vectors stay", needsServer)
    func modelMismatch() throws {
        let store = try PostgresStore.open(url: try PostgresTestServer.freshDatabase())
        let model = try store.registerModel(
            name: "m", family: "f", dimension: 3, fingerprint: "w1")
        #expect(
            try store.registerModel(name: "m", family: "f", dimension: 3, fingerprint: "w1")
                == model)
        #expect(throws: StoreError.self) {
            try store.registerModel(name: "m", family: "f", dimension: 4, fingerprint: "w1")
        }
        let stamp = FileStamp(path: Array("/p/a.jpg".utf8), size: 1, mtimeNs: 1)
        #expect(throws: StoreError.self) {
            try store.apply(
                [
                    .embedded(
                        stamp, hash: [1], metadata: PhotoMetadata(width: 1, height: 1),
                        vector: [1, 0])
                ], model: model)
        }
        #expect(try store.allPhotos().isEmpty)
    }

    @Test(
        "connections dropped mid-run (as a restart does): a clear error, nothing half-written",
        needsServer)
    func connectionsDropped() throws {
        let url = try PostgresTestServer.freshDatabase()
        let store = try PostgresStore.open(url: url)
        let model = try store.registerModel(
            name: "m", family: "f", dimension: 2, fingerprint: "w")
        let first = FileStamp(path: Array("/p/a.jpg".utf8), size: 1, mtimeNs: 1)
        _ = try store.apply(
            [
                .embedded(
                    first, hash: [1], metadata: PhotoMetadata(width: 1, height: 1),
                    vector: [1, 0])
            ], model: model)
        // Another session ends this store's server process, as a restart or a cut would.
        let admin = try PostgresStore.open(url: url)
        let pid = store.connection.backendPID
        try admin.withConnection { conn in
            try conn.execute("SELECT pg_terminate_backend($1)", [.int(Int64(pid))])
        }
        let second = FileStamp(path: Array("/p/b.jpg".utf8), size: 1, mtimeNs: 1)
        let error = try #require(throws: PostgresError.self) {
            try store.apply(
                [
                    .embedded(
                        second, hash: [2], metadata: PhotoMetadata(width: 1, height: 1),
                        vector: [0, 1])
                ], model: model)
        }
        guard case .connectionLost = error else {
            Issue.record("expected connectionLost, got \(error)")
            return
        }
        #expect(error.description.contains("run the command again"))
        // Reconnected: the committed photo is there, the lost one is not, writing works.
        #expect(try store.allPhotos().map(\.path) == [first.path])
        _ = try store.apply(
            [
                .embedded(
                    second, hash: [2], metadata: PhotoMetadata(width: 1, height: 1),
                    vector: [0, 1])
            ], model: model)
        #expect(try store.vectorCount(model: model) == 2)
    }
}

/// What the waiting indexer's thread saw.
private final class LockState: @unchecked Sendable {
    private let lock = NSLock()
    private var seenNotice: String?
    private var wasTaken = false
    var notice: String? { lock.withLock { seenNotice } }
    var taken: Bool { lock.withLock { wasTaken } }
    func set(notice: String) { lock.withLock { seenNotice = notice } }
    func set(taken: Bool) { lock.withLock { wasTaken = taken } }
}

@Suite("PostgreSQL status")
struct PostgresStatusTests {
    @Test(
        "status names the machine and process of a run, and tells running from interrupted",
        needsServer)
    func whoIndexes() throws {
        let url = try PostgresTestServer.freshDatabase()
        let store = try PostgresStore.open(url: url)
        let lock = try #require(try store.lockForWriting())
        _ = try store.beginRun(model: nil)
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        let reader = try IndexOpening.open(url, for: .read)
        let running = try #require(try reader.runs().first)
        #expect(running.indexingNow)
        #expect(running.host == host && running.processID == Int(pid))
        let line = try #require(
            try StatusReport.indexLines(store: reader).first { $0.hasPrefix("last run:") })
        #expect(line.contains("on \(TerminalSafe.escape(host)) (process \(pid)), indexing now"))
        // The lock goes with the process (here: released); the run was interrupted.
        lock.release()
        #expect(try reader.runs().first?.indexingNow == false)
        let after = try StatusReport.indexLines(store: reader)
        #expect(after.contains { $0.contains("did not finish (interrupted)") })
    }
}

@Suite("PostgreSQL nearest photos")
struct PostgresNearestTests {
    @Test(
        "exact and HNSW search find the same best photos; the folder filter is applied in SQL",
        needsServer)
    func nearest() throws {
        let store = try PostgresStore.open(url: try PostgresTestServer.freshDatabase())
        let model = try store.registerModel(
            name: "m", family: "f", dimension: 8, fingerprint: "w")
        var rng = SeededGenerator(seed: 5)
        var changes: [PhotoChange] = []
        var vectors: [[Float]] = []
        for i in 0..<300 {
            var v = (0..<8).map { _ in Float.random(in: -1...1, using: &rng) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / norm }
            vectors.append(v)
            let path = Array("/p/\(i % 2 == 0 ? "even" : "odd")/\(i).jpg".utf8)
            changes.append(
                .embedded(
                    FileStamp(path: path, size: 1, mtimeNs: 1), hash: SHA256.hash(path),
                    metadata: PhotoMetadata(width: 1, height: 1), vector: v))
        }
        _ = try store.apply(changes, model: model)
        #expect(try !store.hasVectorIndex(model: model))
        let exact = try store.nearest(model: model, query: vectors[42], top: 5)
        try store.buildVectorIndex(model: model)
        #expect(try store.hasVectorIndex(model: model))
        let approximate = try store.nearest(
            model: model, query: vectors[42], top: 5, candidates: 100)
        #expect(exact.count == 5)
        #expect(abs(exact[0].score - 1) < 1e-5)
        #expect(approximate.first?.photoID == exact.first?.photoID)
        #expect(approximate.map(\.score) == approximate.map(\.score).sorted(by: >))
        let odd = try store.nearest(
            model: model, query: vectors[42], top: 5, candidates: 100,
            folder: Array("/p/odd".utf8))
        #expect(odd.count == 5)
        for hit in odd {
            let path = try #require(try store.photo(id: hit.photoID)).path
            #expect(path.starts(with: Array("/p/odd/".utf8)))
        }
        #expect(throws: StoreError.self) {
            try store.nearest(model: model, query: [1, 0], top: 1)
        }
        // Loading in chunks (here 7 rows, an uneven split) gives every vector once, in order.
        let whole = try store.loadVectors(model: model)
        let chunked = try store.loadVectors(model: model, chunk: 7)
        #expect(whole.count == 300)
        #expect(chunked.ids == whole.ids && chunked.matrix == whole.matrix)
        #expect(chunked.paths == whole.paths)
        let first = try #require(whole.ids.first)
        let row = try #require(try store.vector(photoID: first, model: model))
        #expect(Array(whole.matrix[0..<8]) == row)
    }
}

@Suite("PostgreSQL wide models")
struct PostgresWideModelTests {
    @Test(
        "wide models: halfvec index past 2,000 dimensions, none past 4,000; float32 scores",
        needsServer, arguments: [2048, 4096])
    func wide(dimension: Int) throws {
        let store = try PostgresStore.open(url: try PostgresTestServer.freshDatabase())
        let model = try store.registerModel(
            name: "wide", family: "f", dimension: dimension, fingerprint: "w")
        var rng = SeededGenerator(seed: 11)
        var changes: [PhotoChange] = []
        var vectors: [[Float]] = []
        let indexed = dimension <= VectorIndexOperand.halfvecLimit
        for i in 0..<(indexed ? 1000 : 200) {
            var v = (0..<dimension).map { _ in Float.random(in: -1...1, using: &rng) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / norm }
            vectors.append(v)
            let path = Array("/w/\(i).jpg".utf8)
            changes.append(
                .embedded(
                    FileStamp(path: path, size: 1, mtimeNs: 1), hash: SHA256.hash(path),
                    metadata: PhotoMetadata(width: 1, height: 1), vector: v))
        }
        _ = try store.apply(changes, model: model)
        let exact = try store.nearest(model: model, query: vectors[7], top: 5)
        try store.buildVectorIndex(model: model)
        #expect(try store.hasVectorIndex(model: model) == indexed)
        let approximate = try store.nearest(
            model: model, query: vectors[7], top: 5, candidates: 5)
        #expect(approximate.count == 5)
        #expect(approximate.first?.photoID == exact.first?.photoID)
        // Every score is the float32 cosine (a 16-bit one is off by about 1e-4): the query's
        // own photo scores 1.
        #expect(abs((approximate.first?.score ?? 0) - 1) < 1e-6)
        for hit in approximate {
            let v = try #require(try store.vector(photoID: hit.photoID, model: model))
            let cosine = zip(v, vectors[7]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(abs(hit.score - cosine) < 1e-5)
        }
        if !indexed {
            #expect(approximate == exact)
            return
        }
        // The index can serve the order the search asks for (on a table this small the planner
        // may prefer to sort it whole, so that plan is ruled out here).
        let operand = try #require(VectorIndexOperand(dimension: dimension))
        let plan = try store.withConnection { conn in
            try conn.transaction(readOnly: true) {
                try conn.execute("SET LOCAL enable_seqscan = off")
                let rows = try conn.execute(
                    """
                    EXPLAIN SELECT photo_id FROM \(PostgresMigrations.embeddingsTable(model.id)) e
                    ORDER BY \(operand.distance(column: "e.vector", parameter: "$1")) LIMIT 5
                    """, [.vector(vectors[7])])
                return (0..<rows.count).compactMap { rows.text($0, 0) }.joined(separator: "\n")
            }
        }
        #expect(plan.contains("Index Scan using embeddings_m\(model.id)_hnsw"), "\(plan)")
    }
}
