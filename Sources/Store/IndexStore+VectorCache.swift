import Foundation
import GRDB
import PicseekCore

#if canImport(Glibc)
    import Glibc
#endif

/// The facts a search shows for one photo, read by id.
public struct PhotoFacts: Equatable, Sendable {
    /// Raw path bytes.
    public var path: [UInt8]
    /// EXIF date, when known.
    public var takenAt: String?
    /// Modification time (ns).
    public var mtimeNs: Int64
}

/// The paths and dates of every row of one model's vectors, in the order of its vector cache
/// (and of `loadVectors`), for searches that filter by folder or date.
public struct RowFacts: Sendable {
    /// Photo id of each row.
    public var ids: [Int64]
    /// Raw path of each row.
    public var paths: [[UInt8]]
    /// EXIF date of each row, when known.
    public var takenAt: [String?]
    /// Modification time (ns) of each row.
    public var mtimeNs: [Int64]
    /// The store's generation when these were read.
    public var generation: Int64
}

extension IndexStore {
    /// Rows checked against the database each time a cache is opened.
    static let vectorCacheSampleRows = 4

    /// Where `model`'s vector cache lives, or nil for an in-memory index.
    public func vectorCachePath(model: ModelRecord) -> String? {
        path == ":memory:" ? nil : VectorCache.path(forIndexAt: path, modelID: model.id)
    }

    /// `model`'s vector cache if it is whole and matches the database now: its header names
    /// this model, the current generation and the model's first and last embedding row ids,
    /// its checksums hold, and its first, last and a few random rows equal `quantise` applied
    /// to their vectors in the database.
    /// Otherwise the problem, and nothing is used. Never writes.
    public func openVectorCache(
        model: ModelRecord, quantise: RowQuantiser
    ) -> Result<VectorCache, VectorCacheProblem> {
        guard let file = vectorCachePath(model: model) else {
            return .failure(.missing(path: ":memory:"))
        }
        guard FileManager.default.fileExists(atPath: file) else {
            return .failure(.missing(path: file))
        }
        let mapping: (base: UnsafeMutableRawPointer?, length: Int)
        do {
            mapping = try FileRead.withOpenFile(file) { fd, info in
                let length = Int(info.st_size)
                guard length >= VectorCacheHeader.size else {
                    throw VectorCacheProblem.corrupt(path: file, reason: "shorter than its header")
                }
                // Populated at once: the checksum reads every page next anyway.
                let flags = MAP_SHARED | Int32(MAP_POPULATE)
                guard let p = mmap(nil, length, PROT_READ, flags, fd, 0), p != MAP_FAILED
                else {
                    throw VectorCacheProblem.unreadable(
                        path: file, reason: "mmap: " + FileRead.errorText(errno))
                }
                return (p, length)
            }
        } catch let problem as VectorCacheProblem {
            return .failure(problem)
        } catch {
            return .failure(.unreadable(path: file, reason: "\(error)"))
        }
        var keep = false
        defer { if !keep, let base = mapping.base { munmap(base, mapping.length) } }
        guard let base = mapping.base else {
            return .failure(.corrupt(path: file, reason: "empty"))
        }
        let bytes = UnsafeRawBufferPointer(start: base, count: mapping.length)
        let header: VectorCacheHeader
        switch VectorCacheHeader.decode(bytes) {
        case .success(let h): header = h
        case .failure(let invalid): return .failure(.corrupt(path: file, reason: invalid.reason))
        }
        let layout = VectorCacheHeader.Layout(rows: header.rows, dimension: header.dimension)
        guard layout.fileSize == mapping.length else {
            return .failure(
                .corrupt(
                    path: file,
                    reason: "\(mapping.length) bytes, expected \(layout.fileSize) for "
                        + "\(header.rows) rows"))
        }
        guard header.modelID == model.id, header.dimension == model.dimension,
            header.fingerprintHash == SHA256.hash(Array(model.fingerprint.utf8))
        else { return .failure(.stale(path: file, reason: "made for other model weights")) }
        let data = UnsafeRawBufferPointer(rebasing: bytes[VectorCacheHeader.size...])
        guard VectorCacheChecksum.of(data) == header.dataChecksum else {
            return .failure(.corrupt(path: file, reason: "checksum of its rows"))
        }
        let cache = VectorCache(
            path: file, model: model, header: header, base: base, length: mapping.length)
        do {
            if let reason = try read({ db in
                try staleness(of: cache, header: header, quantise: quantise, db: db)
            }) {
                return .failure(.stale(path: file, reason: reason))
            }
        } catch {
            return .failure(.unreadable(path: file, reason: "\(error)"))
        }
        keep = true
        return .success(cache)
    }

    /// Why `cache` does not match the database, or nil when it does.
    private func staleness(
        of cache: VectorCache, header: VectorCacheHeader, quantise: RowQuantiser, db: Database
    ) throws -> String? {
        let now = try Self.vectorStamp(model: cache.model, db: db)
        if now.generation != header.stamp.generation {
            return "made at generation \(header.stamp.generation), the index is at "
                + "\(now.generation)"
        }
        if now != header.stamp { return "the model's vectors differ from when it was made" }
        guard cache.count > 0 else { return nil }
        // The rows compared: the first, the last and some at random.
        let d = cache.dimension
        var floats = [Float](repeating: 0, count: d)
        var int8 = [Int8](repeating: 0, count: d)
        var rows = (0..<Self.vectorCacheSampleRows).map { _ in Int.random(in: 0..<cache.count) }
        rows += [0, cache.count - 1]
        for row in rows {
            let id = cache.ids[row]
            guard
                let blob = try Data.fetchOne(
                    db, sql: "SELECT vector FROM embeddings WHERE photo_id = ? AND model_id = ?",
                    arguments: [id, cache.model.id]), blob.count == d * 4
            else { return "row \(row) (photo \(id)) has no vector in the index" }
            decodeFloats(blob, into: &floats)
            let scale = floats.withUnsafeBufferPointer { f in
                int8.withUnsafeMutableBufferPointer { o in
                    guard let fb = f.baseAddress, let ob = o.baseAddress else { return Float(0) }
                    return quantise(fb, d, ob)
                }
            }
            let stored = cache.values[(row * d)..<((row + 1) * d)]
            guard scale.bitPattern == cache.scales[row].bitPattern, stored.elementsEqual(int8)
            else { return "row \(row) (photo \(id)) differs from its vector in the index" }
        }
        return nil
    }

    /// The generation and the smallest and largest of `model`'s embedding row ids.
    static func vectorStamp(model: ModelRecord, db: Database) throws -> VectorCacheStamp {
        let generation =
            try Int64.fetchOne(db, sql: "SELECT value FROM generation WHERE id = 1") ?? 0
        // Two statements: SQLite answers a lone min() or max() with one index look-up.
        let minID =
            try Int64.fetchOne(
                db, sql: "SELECT min(id) FROM embeddings WHERE model_id = ?",
                arguments: [model.id]) ?? 0
        let maxID =
            try Int64.fetchOne(
                db, sql: "SELECT max(id) FROM embeddings WHERE model_id = ?",
                arguments: [model.id]) ?? 0
        return VectorCacheStamp(generation: generation, minID: minID, maxID: maxID)
    }

    /// Writes `model`'s vector cache from the database (one read transaction, rows streamed
    /// into the file, each quantised by `quantise`), atomically: a temporary file beside it,
    /// flushed, then renamed over the old one. Returns the new cache, mapped. Works on a
    /// store opened read-only as long as the index and its folder could be written.
    ///
    /// - Throws: `VectorCacheError` when the file cannot be written (a read-only folder, a
    ///   full disk), `StoreError` when the database cannot be read.
    public func writeVectorCache(
        model: ModelRecord, quantise: RowQuantiser
    ) throws -> VectorCache {
        guard let file = vectorCachePath(model: model) else { throw VectorCacheError.noFile }
        // A store opened read-only by choice (`picseek search`) still writes the cache when
        // the index could be written: the database itself is not touched.
        if let problem = Self.writeProblem(at: path) {
            throw VectorCacheError.io(path: file, reason: problem)
        }
        let temp = file + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = Glibc.open(temp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw VectorCacheError.io(path: file, reason: FileRead.errorText(errno))
        }
        var done = false
        defer {
            close(fd)
            if !done { unlink(temp) }
        }
        let header = try read { db in
            try fillVectorCache(
                fd: fd, file: file, model: model,
                quantise: quantise, db: db)
        }
        guard fsync(fd) == 0 else {
            throw VectorCacheError.io(path: file, reason: "fsync: " + FileRead.errorText(errno))
        }
        guard rename(temp, file) == 0 else {
            throw VectorCacheError.io(path: file, reason: "rename: " + FileRead.errorText(errno))
        }
        done = true
        let length = VectorCacheHeader.Layout(rows: header.rows, dimension: header.dimension)
            .fileSize
        guard let p = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), p != MAP_FAILED else {
            throw VectorCacheError.io(path: file, reason: "mmap: " + FileRead.errorText(errno))
        }
        return VectorCache(path: file, model: model, header: header, base: p, length: length)
    }

    /// Sizes the open file `fd`, maps it and fills it with `model`'s rows; returns the header
    /// written.
    private func fillVectorCache(
        fd: Int32, file: String, model: ModelRecord, quantise: RowQuantiser, db: Database
    ) throws -> VectorCacheHeader {
        let stamp = try Self.vectorStamp(model: model, db: db)
        let rows =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM embeddings e JOIN photos p ON p.id = e.photo_id
                    WHERE e.model_id = ?
                    """, arguments: [model.id]) ?? 0
        let d = model.dimension
        let layout = VectorCacheHeader.Layout(rows: rows, dimension: d)
        let reserved = posix_fallocate(fd, 0, off_t(layout.fileSize))
        guard reserved == 0 else {
            throw VectorCacheError.io(path: file, reason: FileRead.errorText(reserved))
        }
        guard
            let base = mmap(nil, layout.fileSize, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
            base != MAP_FAILED
        else {
            throw VectorCacheError.io(path: file, reason: "mmap: " + FileRead.errorText(errno))
        }
        defer { munmap(base, layout.fileSize) }
        let ids = (base + layout.idsOffset).assumingMemoryBound(to: Int64.self)
        let scales = (base + layout.scalesOffset).assumingMemoryBound(to: Float.self)
        let values = (base + layout.valuesOffset).assumingMemoryBound(to: Int8.self)
        var floats = [Float](repeating: 0, count: d)
        let cursor = try Row.fetchCursor(
            db,
            sql: """
                SELECT e.photo_id, e.vector FROM embeddings e JOIN photos p ON p.id = e.photo_id
                WHERE e.model_id = ? ORDER BY e.id
                """, arguments: [model.id])
        var row = 0
        while let record = try cursor.next() {
            guard row < rows else { throw VectorCacheError.rowsChanged(path: file) }
            let id: Int64 = record[0]
            let found = try record.withUnsafeData(atIndex: 1) { blob -> Int in
                guard let blob, blob.count == d * 4 else { return blob?.count ?? 0 }
                decodeFloats(blob, into: &floats)
                return blob.count
            }
            guard found == d * 4 else {
                throw StoreError.corruptVector(photo: id, expectedBytes: d * 4, foundBytes: found)
            }
            ids[row] = id.littleEndian
            scales[row] = floats.withUnsafeBufferPointer { f in
                guard let fb = f.baseAddress else { return 0 }
                return quantise(fb, d, values + row * d)
            }
            row += 1
        }
        guard row == rows else { throw VectorCacheError.rowsChanged(path: file) }
        let data = UnsafeRawBufferPointer(
            start: base + VectorCacheHeader.size, count: layout.fileSize - VectorCacheHeader.size)
        let header = VectorCacheHeader(
            dimension: d, rows: rows, stamp: stamp, modelID: model.id,
            fingerprintHash: SHA256.hash(Array(model.fingerprint.utf8)),
            dataChecksum: VectorCacheChecksum.of(data))
        let head = header.encoded()
        for (i, byte) in head.enumerated() {
            base.storeBytes(of: byte, toByteOffset: i, as: UInt8.self)
        }
        guard msync(base, layout.fileSize, MS_SYNC) == 0 else {
            throw VectorCacheError.io(path: file, reason: "msync: " + FileRead.errorText(errno))
        }
        return header
    }

    /// Deletes `model`'s vector cache file, if any (for tests and `picseek doctor`).
    public func removeVectorCache(model: ModelRecord) {
        if let file = vectorCachePath(model: model) { unlink(file) }
    }

    /// The float32 vectors of `model` for the photos `ids`, by photo id (photos without one
    /// are left out), read in one transaction with one statement per 500 ids.
    public func vectors(photoIDs ids: [Int64], model: ModelRecord) throws -> [Int64: [Float]] {
        let d = model.dimension
        return try read { db in
            var out: [Int64: [Float]] = [:]
            out.reserveCapacity(ids.count)
            for chunk in Self.chunks(ids) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT photo_id, vector FROM embeddings
                        WHERE model_id = ? AND photo_id IN (\(marks))
                        """, arguments: StatementArguments([model.id] + chunk))
                while let row = try rows.next() {
                    let id: Int64 = row[0]
                    var v = [Float](repeating: 0, count: d)
                    let found = try row.withUnsafeData(atIndex: 1) { blob -> Int in
                        guard let blob, blob.count == d * 4 else { return blob?.count ?? 0 }
                        decodeFloats(blob, into: &v)
                        return blob.count
                    }
                    guard found == d * 4 else {
                        throw StoreError.corruptVector(
                            photo: id, expectedBytes: d * 4, foundBytes: found)
                    }
                    out[id] = v
                }
            }
            return out
        }
    }

    /// Path and dates of the photos `ids`, by id (ids no longer indexed are left out).
    public func photoFacts(ids: [Int64]) throws -> [Int64: PhotoFacts] {
        try read { db in
            var out: [Int64: PhotoFacts] = [:]
            for chunk in Self.chunks(ids) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT id, path, taken_at, mtime_ns FROM photos WHERE id IN (\(marks))",
                    arguments: StatementArguments(chunk))
                while let row = try rows.next() {
                    out[row[0]] = PhotoFacts(
                        path: try row.withUnsafeData(atIndex: 1) { $0.map { [UInt8]($0) } ?? [] },
                        takenAt: row[2], mtimeNs: row[3])
                }
            }
            return out
        }
    }

    /// `ids` without repeats, in pieces small enough for one statement's parameters.
    private static func chunks(_ ids: [Int64]) -> [[Int64]] {
        var seen = Set<Int64>()
        let distinct = ids.filter { seen.insert($0).inserted }
        return stride(from: 0, to: distinct.count, by: 500).map {
            Array(distinct[$0..<min(distinct.count, $0 + 500)])
        }
    }

    /// Ids, paths and dates of every row of `model`'s vectors, in cache order, in one read.
    public func rowFacts(model: ModelRecord) throws -> RowFacts {
        try read { db in
            let generation =
                try Int64.fetchOne(db, sql: "SELECT value FROM generation WHERE id = 1") ?? 0
            var facts = RowFacts(
                ids: [], paths: [], takenAt: [], mtimeNs: [], generation: generation)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT p.id, p.path, p.taken_at, p.mtime_ns
                    FROM embeddings e JOIN photos p ON p.id = e.photo_id
                    WHERE e.model_id = ? ORDER BY e.id
                    """, arguments: [model.id])
            while let row = try rows.next() {
                facts.ids.append(row[0])
                facts.paths.append(
                    try row.withUnsafeData(atIndex: 1) { $0.map { [UInt8]($0) } ?? [] })
                facts.takenAt.append(row[2])
                facts.mtimeNs.append(row[3])
            }
            return facts
        }
    }
}

/// Decodes little-endian float32 bytes into `out` (which holds `blob.count / 4` floats).
private func decodeFloats(_ blob: Data, into out: inout [Float]) {
    blob.withUnsafeBytes { raw in
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<min(o.count, raw.count / 4) {
                let bits = raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
                o[i] = Float(bitPattern: UInt32(littleEndian: bits))
            }
        }
    }
}
