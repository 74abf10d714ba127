import Foundation
import PicseekCore
import PicseekTestSupport
import Testing

@testable import Library
@testable import Store

private let needsServer = Testing.ConditionTrait.enabled(
    if: PostgresTestServer.enabled, Comment(rawValue: PostgresTestServer.skipReason))

/// 300 photos of 8-d vectors in two folders, one every 3 days from mid 2017 (modification
/// times), every 5th with an EXIF date of its own that disagrees with its file's.
private struct DatedPhotos {
    let store: PostgresStore
    let model: ModelRecord
    var vectors: [[Float]] = []
    var paths: [[UInt8]] = []
    var dates: [String] = []

    init() throws {
        store = try PostgresStore.open(url: try PostgresTestServer.freshDatabase())
        model = try store.registerModel(name: "m", family: "f", dimension: 8, fingerprint: "w")
        var rng = SeededGenerator(seed: 11)
        var changes: [PhotoChange] = []
        for i in 0..<300 {
            var v = (0..<8).map { _ in Float.random(in: -1...1, using: &rng) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / norm }
            let path = Array("/p/\(i % 2 == 0 ? "even" : "odd")/\(i).jpg".utf8)
            let mtime = Int64(1_500_000_000 + i * 3 * 86_400) * 1_000_000_000 + 123
            let taken = i % 5 == 0 ? String(format: "2016-%02d-15 12:00:00", 1 + i % 12) : nil
            vectors.append(v)
            paths.append(path)
            dates.append(taken ?? DateBounds.localDate(mtimeNs: mtime))
            changes.append(
                .embedded(
                    FileStamp(path: path, size: 1, mtimeNs: mtime), hash: SHA256.hash(path),
                    metadata: PhotoMetadata(width: 1, height: 1, takenAt: taken), vector: v))
        }
        _ = try store.apply(changes, model: model)
    }

    /// The `top` nearest by brute force among the photos the filters keep.
    func expected(
        _ query: [Float], top: Int, folder: [UInt8]?, bounds: DateBounds?
    ) -> [[UInt8]] {
        let kept = (0..<vectors.count).filter { i in
            (folder.map { RawPath.isUnder(paths[i], $0) } ?? true)
                && (bounds.map { $0.contains(dates[i]) } ?? true)
        }
        let scored = kept.map { i in
            (i, zip(vectors[i], query).reduce(Float(0)) { $0 + $1.0 * $1.1 })
        }
        return scored.sorted { $0.1 > $1.1 }.prefix(top).map { paths[$0.0] }
    }

    func paths(_ found: [NearestPhoto]) throws -> [[UInt8]] {
        try found.map { try #require(try store.photo(id: $0.photoID)).path }
    }
}

@Suite("PostgreSQL search filtered in SQL")
struct PostgresFilteredSearchTests {
    @Test(
        "date and folder filters give the brute-force answer, exactly and through HNSW",
        needsServer)
    func filtered() throws {
        let photos = try DatedPhotos()
        let store = photos.store
        let zone = TimeZone.current.identifier
        // The server reads modification times as this process does (the filter relies on it).
        let mtimes: [Int64] = [0, 1_560_000_000_999_999_999, 1_704_067_200_000_000_000]
        #expect(
            try store.localDates(mtimes: mtimes, timeZone: zone)
                == mtimes.map { DateBounds.localDate(mtimeNs: $0) })
        #expect(try store.localDates(mtimes: [0], timeZone: "Nowhere/Atlantis") == nil)

        let cases: [([UInt8]?, DateBounds?)] = [
            (nil, try DateBounds(since: "2018-03", until: "2018-09")),
            (Array("/p/odd".utf8), try DateBounds(since: "2016", until: "2016-06")),
            (Array("/p/even".utf8), try DateBounds(since: "2019-01-01 00:00", until: nil)),
            (Array("/p/odd".utf8), nil),
            (nil, try DateBounds(since: nil, until: "2017-08-15")),
        ]
        func range(_ bounds: DateBounds?) -> PhotoDateRange? {
            bounds.map {
                PhotoDateRange(
                    since: $0.since, above: $0.until.map { $0 + "\u{7F}" }, timeZone: zone)
            }
        }
        for indexed in [false, true] {
            if indexed { try store.buildVectorIndex(model: photos.model) }
            #expect(try store.hasVectorIndex(model: photos.model) == indexed)
            for (n, (folder, bounds)) in cases.enumerated() {
                let query = photos.vectors[n * 37]
                let want = photos.expected(query, top: 6, folder: folder, bounds: bounds)
                #expect(want.count == 6)
                let exact = try store.nearest(
                    model: photos.model, query: query, top: 6, folder: folder,
                    dates: range(bounds))
                #expect(try photos.paths(exact) == want, "case \(n), exact")
                let approximate = try store.nearest(
                    model: photos.model, query: query, top: 6, candidates: 100, folder: folder,
                    dates: range(bounds))
                #expect(try photos.paths(approximate) == want, "case \(n), indexed \(indexed)")
            }
        }
        // A filter nothing passes finds nothing, through the index as well.
        let none = PhotoDateRange(since: "2030", above: nil, timeZone: zone)
        #expect(
            try store.nearest(
                model: photos.model, query: photos.vectors[0], top: 3, candidates: 50,
                dates: none
            ).isEmpty)
    }

    @Test("synthetic photos and vectors copied in binary read back as written", needsServer)
    func copied() throws {
        let store = try PostgresStore.open(url: try PostgresTestServer.freshDatabase())
        let model = try store.registerModel(name: "b", family: "f", dimension: 4, fingerprint: "w")
        let ids = try store.syntheticPhotos(folder: "/bench", count: 2500)
        #expect(ids.count == 2500 && Set(ids).count == 2500)
        // Asked again for fewer, the same photos in the same order; nothing added.
        #expect(try store.syntheticPhotos(folder: "/bench", count: 10) == Array(ids.prefix(10)))
        #expect(try store.allPhotos().count == 2500)
        let first = try #require(try store.photo(id: ids[0]))
        #expect(String(decoding: first.path, as: UTF8.self) == "/bench/00000000.jpg")
        #expect(
            try store.photo(id: ids[2499])?.mtimeNs == (1_420_070_400 + 2499 * 300) * 1_000_000_000)
        let before = try store.generation()
        try store.copyVectors(model: model, photoIDs: ids) { n, out in
            for d in 0..<4 { out[d] = Float(n) + Float(d) / 8 }
        }
        #expect(try store.generation() > before)
        #expect(try store.vectorCount(model: model) == 2500)
        for n in [0, 999, 1000, 2499] {
            let v = Float(n)
            #expect(
                try store.vector(photoID: ids[n], model: model) == [
                    v, v + 0.125, v + 0.25, v + 0.375,
                ])
        }
    }
}
