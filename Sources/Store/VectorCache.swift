import Foundation
import PicseekCore

#if canImport(Glibc)
    import Glibc
#endif

/// Turns one row of `count` floats into int8 values and returns the row's scale
/// (`value ≈ scale × int8`). Library passes Tensor's `Int8Matrix.quantise`, so the cache holds
/// exactly the int8 rows an in-memory scorer would make.
public typealias RowQuantiser = (
    _ row: UnsafePointer<Float>, _ count: Int, _ out: UnsafeMutablePointer<Int8>
) -> Float

/// One model's vectors as an int8 copy in a memory-mapped file beside the index
/// (`VectorCache.path(forIndexAt:modelID:)`), so a search can start without reading every
/// vector out of SQLite.
///
/// The file holds a header, the photo id of each row, one scale per row and the int8 rows,
/// in the order `IndexStore.loadVectors` reads them. The header records the model (id,
/// dimension, a hash of its fingerprint), what the database looked like when the file was
/// made (generation, smallest and largest of the model's embedding row ids) and a checksum
/// of everything after it. `IndexStore.openVectorCache` checks all of it, and a few
/// rows against the database, before a cache is used; a file that fails is ignored (and
/// rebuilt by a writer), never trusted. Float32 vectors stay in the database: the few rows a
/// search rescores exactly are read from it by photo id.
///
/// The mapping is read-only and lives as long as this object.
public final class VectorCache: @unchecked Sendable {
    /// The file this was mapped from.
    public let path: String
    /// The model whose vectors these are.
    public let model: ModelRecord
    /// Number of rows.
    public let count: Int
    /// Row length (the model's dimension).
    public let dimension: Int
    /// The index generation the file was made from.
    public let generation: Int64
    /// Photo id of each row.
    public let ids: UnsafeBufferPointer<Int64>
    /// One scale per row.
    public let scales: UnsafeBufferPointer<Float>
    /// `count × dimension` int8 values, row-major.
    public let values: UnsafeBufferPointer<Int8>
    private let base: UnsafeMutableRawPointer?
    private let length: Int

    init(
        path: String, model: ModelRecord, header: VectorCacheHeader,
        base: UnsafeMutableRawPointer?, length: Int
    ) {
        self.path = path
        self.model = model
        self.count = header.rows
        self.dimension = header.dimension
        self.generation = header.stamp.generation
        self.base = base
        self.length = length
        let layout = VectorCacheHeader.Layout(rows: header.rows, dimension: header.dimension)
        if let base {
            ids = UnsafeBufferPointer(
                start: (base + layout.idsOffset).assumingMemoryBound(to: Int64.self),
                count: header.rows)
            scales = UnsafeBufferPointer(
                start: (base + layout.scalesOffset).assumingMemoryBound(to: Float.self),
                count: header.rows)
            values = UnsafeBufferPointer(
                start: (base + layout.valuesOffset).assumingMemoryBound(to: Int8.self),
                count: header.rows * header.dimension)
        } else {
            ids = UnsafeBufferPointer(start: nil, count: 0)
            scales = UnsafeBufferPointer(start: nil, count: 0)
            values = UnsafeBufferPointer(start: nil, count: 0)
        }
    }

    deinit {
        if let base { munmap(base, length) }
    }

    /// The row holding `photoID`, if any (a linear scan of the ids).
    public func row(of photoID: Int64) -> Int? {
        ids.firstIndex(of: photoID)
    }

    /// Where the cache of model `modelID` lives for the index at `indexPath`:
    /// `x.sqlite` → `x.model-<id>.vectors`; any other name gets `.model-<id>.vectors` appended.
    public static func path(forIndexAt indexPath: String, modelID: Int64) -> String {
        let stem =
            indexPath.hasSuffix(".sqlite")
            ? String(indexPath.dropLast(".sqlite".count)) : indexPath
        return stem + ".model-\(modelID).vectors"
    }
}

/// Why a vector cache file was not used.
public enum VectorCacheProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// No cache file exists yet.
    case missing(path: String)
    /// The file could not be opened or mapped.
    case unreadable(path: String, reason: String)
    /// The file is not a whole, intact vector cache (wrong magic, truncated, bad checksum).
    case corrupt(path: String, reason: String)
    /// The file is intact but was made from another state of the index or another model.
    case stale(path: String, reason: String)

    /// The message, naming the file (escaped for the terminal).
    public var description: String {
        switch self {
        case .missing(let path):
            "vector cache \(TerminalSafe.escape(path)) does not exist"
        case .unreadable(let path, let reason):
            "vector cache \(TerminalSafe.escape(path)) cannot be read: \(reason)"
        case .corrupt(let path, let reason):
            "vector cache \(TerminalSafe.escape(path)) is damaged: \(reason)"
        case .stale(let path, let reason):
            "vector cache \(TerminalSafe.escape(path)) is out of date: \(reason)"
        }
    }
}

/// Why a vector cache file could not be written.
public enum VectorCacheError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call on the file failed.
    case io(path: String, reason: String)
    /// The store has no file beside which a cache could live (an in-memory index).
    case noFile
    /// The database rows changed under the writer (more rows than counted).
    case rowsChanged(path: String)

    /// The message, naming the file (escaped for the terminal).
    public var description: String {
        switch self {
        case .io(let path, let reason):
            "cannot write vector cache \(TerminalSafe.escape(path)): \(reason)"
        case .noFile:
            "an in-memory index has no vector cache"
        case .rowsChanged(let path):
            "cannot write vector cache \(TerminalSafe.escape(path)): the vectors changed "
                + "while it was written"
        }
    }
}

/// What the database looked like for one model when a cache was made; compared on open.
///
/// Each is one B-tree look-up (a count or sum of a million ids would scan an index, about
/// 0.1 s); rows of a replaced database at the same generation are caught by the rows
/// compared on open.
struct VectorCacheStamp: Equatable {
    /// The index generation.
    var generation: Int64
    /// Smallest embedding row id of the model (0 when none).
    var minID: Int64
    /// Largest embedding row id of the model (0 when none).
    var maxID: Int64
}

/// The fixed 128-byte header of a vector cache file, little-endian.
///
/// | offset | field |
/// |---|---|
/// | 0 | magic `PSVCACHE` |
/// | 8 | format version (UInt32) |
/// | 12 | dimension (UInt32) |
/// | 16 | rows (UInt64) |
/// | 24 | generation, smallest and largest embedding row id of the model (3 × Int64) |
/// | 48 | zero |
/// | 56 | model id (Int64) |
/// | 64 | SHA-256 of the model's fingerprint (32 bytes) |
/// | 96 | checksum of the bytes after the header (UInt64) |
/// | 104 | checksum of bytes 0..<104 (UInt64) |
/// | 112 | zero |
///
/// Then the photo ids (Int64 per row), the scales (Float per row), and from the next multiple
/// of 64 bytes the int8 rows.
struct VectorCacheHeader: Equatable {
    static let magic = Array("PSVCACHE".utf8)
    static let version: UInt32 = 1
    static let size = 128

    var dimension: Int
    var rows: Int
    var stamp: VectorCacheStamp
    var modelID: Int64
    var fingerprintHash: [UInt8]
    var dataChecksum: UInt64

    /// Why bytes are not a header.
    struct Invalid: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Where each section starts, and the file's whole size.
    struct Layout {
        var idsOffset: Int
        var scalesOffset: Int
        var valuesOffset: Int
        var fileSize: Int

        init(rows: Int, dimension: Int) {
            idsOffset = VectorCacheHeader.size
            scalesOffset = idsOffset + rows * 8
            valuesOffset = (scalesOffset + rows * 4 + 63) / 64 * 64
            fileSize = valuesOffset + rows * dimension
        }
    }

    /// The header's bytes.
    func encoded() -> [UInt8] {
        var out = Self.magic
        func put<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
        }
        put(Self.version)
        put(UInt32(dimension))
        put(UInt64(rows))
        put(stamp.generation)
        put(stamp.minID)
        put(stamp.maxID)
        put(Int64(0))
        put(modelID)
        out += fingerprintHash
        put(dataChecksum)
        put(VectorCacheChecksum.of(UnsafeRawBufferPointer(start: out, count: out.count)))
        out += [UInt8](repeating: 0, count: Self.size - out.count)
        return out
    }

    /// Reads a header, or says why the bytes are not one.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<VectorCacheHeader, Invalid> {
        guard bytes.count >= size else { return .failure(Invalid("shorter than its header")) }
        guard Array(bytes[0..<8]) == magic else {
            return .failure(Invalid("not a vector cache file"))
        }
        func get<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        let version = get(8, UInt32.self)
        guard version == Self.version else {
            return .failure(Invalid("format version \(version), expected \(Self.version)"))
        }
        let checksum = VectorCacheChecksum.of(UnsafeRawBufferPointer(rebasing: bytes[0..<104]))
        guard checksum == get(104, UInt64.self) else { return .failure(Invalid("header checksum")) }
        let rows = get(16, UInt64.self)
        let dimension = Int(get(12, UInt32.self))
        guard rows < 1 << 40, dimension > 0 else { return .failure(Invalid("impossible shape")) }
        return .success(
            VectorCacheHeader(
                dimension: dimension, rows: Int(rows),
                stamp: VectorCacheStamp(
                    generation: get(24, Int64.self), minID: get(32, Int64.self),
                    maxID: get(40, Int64.self)),
                modelID: get(56, Int64.self), fingerprintHash: Array(bytes[64..<96]),
                dataChecksum: get(96, UInt64.self)))
    }
}

/// A fast non-cryptographic 64-bit checksum, to tell a damaged or half-written cache file
/// from a whole one: Fletcher-style running sums of 64-bit words in eight lanes (additions
/// only, so the baseline x86-64 build vectorises it and it runs at memory speed), mixed with
/// the length and the tail bytes at the end.
enum VectorCacheChecksum {
    /// The checksum of `bytes`.
    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var sums = SIMD8<UInt64>(1, 2, 3, 4, 5, 6, 7, 8)
        var sumsOfSums = SIMD8<UInt64>()
        let count = bytes.count
        var i = 0
        if let base = bytes.baseAddress {
            while i + 64 <= count {
                sums &+= base.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt64>.self)
                sumsOfSums &+= sums
                i += 64
            }
        }
        let prime: UInt64 = 0x9E37_79B9_7F4A_7C15
        var h = UInt64(count) &* prime
        for k in 0..<8 {
            h = (h ^ sums[k]) &* prime
            h = (h ^ sumsOfSums[k]) &* prime
        }
        while i < count {
            h = (h ^ UInt64(bytes[i])) &* prime
            i += 1
        }
        return h ^ (h >> 31)
    }
}
