import Foundation
import PicseekCore
import Testing

@testable import Store

/// A folder with an index of `rows` photos of one 8-d model; removed at the end.
private final class CachedIndex {
    let dir = NSTemporaryDirectory() + "picseek-vector-cache-\(UUID().uuidString)"
    let path: String
    let store: IndexStore
    var model: ModelRecord

    init(rows: Int = 40) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        path = dir + "/index.sqlite"
        store = try IndexStore.open(path: path)
        model = try store.registerModel(name: "m", family: "f", dimension: 8, fingerprint: "w1")
        try add((0..<rows).map { "/p/\($0).jpg" })
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func add(_ paths: [String]) throws {
        let changes = paths.map { name -> PhotoChange in
            let bytes = Array(name.utf8)
            let seed = Float(bytes.reduce(0) { $0 &* 31 &+ Int($1) } % 1000)
            let vector = (0..<8).map { sin(seed + Float($0)) }
            return .embedded(
                FileStamp(path: bytes, size: 10, mtimeNs: 1), hash: SHA256.hash(bytes),
                metadata: PhotoMetadata(width: 1, height: 1, takenAt: nil, camera: nil),
                vector: vector)
        }
        _ = try store.apply(changes, model: model)
    }

    var cachePath: String { VectorCache.path(forIndexAt: path, modelID: model.id) }

    func open() -> Result<VectorCache, VectorCacheProblem> {
        store.openVectorCache(model: model, quantise: testQuantise)
    }
}

/// A simple quantiser for these tests: steps of 1/100, the scale fixed.
private let testQuantise: RowQuantiser = { row, count, out in
    for j in 0..<count { out[j] = Int8(max(-127, min(127, (row[j] * 100).rounded()))) }
    return 0.01
}

private func problem(_ result: Result<VectorCache, VectorCacheProblem>) -> VectorCacheProblem? {
    if case .failure(let p) = result { return p }
    return nil
}

@Suite("Index store: the vector cache file")
struct VectorCacheTests {
    @Test("a written cache opens with the rows, ids and scales of the database, in its order")
    func writeThenOpen() throws {
        let x = try CachedIndex()
        #expect(problem(x.open()) == .missing(path: x.cachePath))
        let written = try x.store.writeVectorCache(model: x.model, quantise: testQuantise)
        #expect(written.count == 40 && written.dimension == 8)
        let cache = try x.open().get()
        let set = try x.store.loadVectors(model: x.model)
        #expect(Array(cache.ids) == set.ids)
        #expect(cache.generation == set.generation)
        #expect(cache.scales.allSatisfy { $0 == 0.01 })
        for row in [0, 17, 39] {
            let expected = set.matrix[(row * 8)..<(row * 8 + 8)].map {
                Int8(max(-127, min(127, ($0 * 100).rounded())))
            }
            #expect(Array(cache.values[(row * 8)..<(row * 8 + 8)]) == expected)
        }
        #expect(cache.row(of: set.ids[5]) == 5)
        #expect(cache.row(of: -1) == nil)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: x.dir)
            .filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("a photo added or forgotten makes the cache stale")
    func changesMakeItStale() throws {
        let x = try CachedIndex()
        _ = try x.store.writeVectorCache(model: x.model, quantise: testQuantise)
        try x.add(["/p/new.jpg"])
        guard case .stale(_, let reason) = problem(x.open()) else {
            Issue.record("an added photo left the cache usable")
            return
        }
        #expect(reason.contains("generation"))
        _ = try x.store.writeVectorCache(model: x.model, quantise: testQuantise)
        #expect(try x.open().get().count == 41)
        #expect(try x.store.forget(path: Array("/p/3.jpg".utf8)) == 1)
        guard case .stale = problem(x.open()) else {
            Issue.record("a forgotten photo left the cache usable")
            return
        }
    }

    @Test("the same generation with other vectors is stale (a replaced index)")
    func sameGenerationOtherRows() throws {
        let x = try CachedIndex()
        _ = try x.store.writeVectorCache(model: x.model, quantise: testQuantise)
        let generation = try x.store.generation()
        // Another index file at the same generation, with other photos, in the same place.
        try x.store.write { db in
            try db.execute(sql: "DELETE FROM photos")
            try db.execute(sql: "UPDATE generation SET value = ? WHERE id = 1", arguments: [0])
        }
        try x.add((0..<40).map { "/q/\($0).jpg" })
        try x.store.write { db in
            try db.execute(
                sql: "UPDATE generation SET value = ? WHERE id = 1", arguments: [generation])
        }
        #expect(try x.store.generation() == generation)
        guard case .stale = problem(x.open()) else {
            Issue.record("a cache of other rows was used")
            return
        }
    }

    @Test("a model registered again with other weights makes the cache stale")
    func modelReRegistered() throws {
        let x = try CachedIndex()
        _ = try x.store.writeVectorCache(model: x.model, quantise: testQuantise)
        try x.store.write { db in
            try db.execute(
                sql: "UPDATE models SET fingerprint = 'w2' WHERE id = ?",
                arguments: [x.model.id])
        }
        x.model = try #require(try x.store.model(named: "m"))
        guard case .stale(_, let reason) = problem(x.open()) else {
            Issue.record("a cache of other weights was used")
            return
        }
        #expect(reason.contains("other model weights"))
    }

    @Test("a truncated, overwritten or flipped file is damaged and never used")
    func damagedFiles() throws {
        let x = try CachedIndex()
        _ = try x.store.writeVectorCache(model: x.model, quantise: testQuantise)
        let good = try Data(contentsOf: URL(fileURLWithPath: x.cachePath))
        let cases: [(String, Data)] = [
            ("truncated", good.prefix(good.count - 5)),
            ("header only", good.prefix(VectorCacheHeader.size)),
            ("garbage", Data((0..<good.count).map { UInt8(truncatingIfNeeded: $0 &* 7) })),
            ("empty", Data()),
            (
                "flipped row byte",
                {
                    var d = good
                    d[d.count - 3] ^= 0x40
                    return d
                }()
            ),
            (
                "flipped header byte",
                {
                    var d = good
                    d[30] ^= 0x01
                    return d
                }()
            ),
        ]
        for (name, bytes) in cases {
            try bytes.write(to: URL(fileURLWithPath: x.cachePath))
            guard case .corrupt = problem(x.open()) else {
                Issue.record("\(name): the damaged cache was used")
                continue
            }
        }
        try good.write(to: URL(fileURLWithPath: x.cachePath))
        #expect(try x.open().get().count == 40)
    }

    @Test("a store opened read-only opens a valid cache and writes one beside a writable index")
    func readOnlyIndex() throws {
        let x = try CachedIndex()
        let reader = try IndexStore.open(path: x.path, mode: .readOnly)
        let written = try reader.writeVectorCache(model: x.model, quantise: testQuantise)
        #expect(written.count == 40)
        #expect(
            try reader.openVectorCache(model: x.model, quantise: testQuantise).get().count == 40)
        #expect(try x.store.integrityCheck() == ["ok"])
    }

    @Test("a cache that cannot be put in place is an error and leaves no temporary file")
    func cannotWrite() throws {
        let x = try CachedIndex()
        // A folder where the file should go: the rename fails (as root, permissions would not).
        try FileManager.default.createDirectory(
            atPath: x.cachePath + "/x", withIntermediateDirectories: true)
        #expect(throws: VectorCacheError.self) {
            try x.store.writeVectorCache(model: x.model, quantise: testQuantise)
        }
        #expect(problem(x.open()) != nil, "a folder was taken for a cache")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: x.dir)
            .filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("an in-memory index has no cache file")
    func inMemory() throws {
        let store = try IndexStore.inMemory()
        let model = try store.registerModel(name: "m", family: "f", dimension: 2, fingerprint: "x")
        #expect(store.vectorCachePath(model: model) == nil)
        #expect(throws: VectorCacheError.noFile) {
            try store.writeVectorCache(model: model, quantise: testQuantise)
        }
    }

    @Test("vectors and facts are read by photo id, missing ids left out")
    func byID() throws {
        let x = try CachedIndex(rows: 5)
        let set = try x.store.loadVectors(model: x.model)
        let vectors = try x.store.vectors(photoIDs: [set.ids[2], 9999], model: x.model)
        #expect(vectors.count == 1)
        #expect(vectors[set.ids[2]] == Array(set.matrix[16..<24]))
        let facts = try x.store.photoFacts(ids: [set.ids[4], 9999])
        #expect(facts[set.ids[4]]?.path == set.paths[4])
        #expect(facts.count == 1)
        let rows = try x.store.rowFacts(model: x.model)
        #expect(rows.ids == set.ids && rows.paths == set.paths)
        #expect(rows.generation == set.generation)
    }
}
