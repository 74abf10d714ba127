import Foundation
import ModelFiles
import PicseekCore

/// A `.safetensors` file, memory-mapped read-only.
///
/// The header is parsed and checked when the file is opened; tensors are checked
/// (dtype, shape, byte range, file end) when the model asks for them, so the
/// error names the tensor. F32 data that is 4-byte aligned is used in place (no
/// copy: pages are read on first touch); F16 and BF16 are converted to float32
/// once, on request. Tensors nobody asks for (e.g. `position_ids`) are never read.
public final class SafeTensorsFile: WeightSource, @unchecked Sendable {
    /// One header entry.
    public struct Entry: Equatable, Sendable {
        public var dtype: String
        public var shape: [Int]
        /// Byte range relative to the start of the data section.
        public var begin: Int
        public var end: Int
    }

    /// The file's name as shown in messages (last path component).
    public let fileName: String
    /// Size of the file in bytes.
    public let fileSize: Int
    /// Tensors listed in the header, by name.
    public let entries: [String: Entry]
    /// SHA-256 (hex) of the header bytes followed by the decimal file size.
    public let fingerprint: String

    /// The mapped file; tensors point into it while this object lives.
    private let file: MappedFile
    private let base: UnsafeRawPointer?
    private let dataStart: Int
    private let lock = NSLock()
    private var converted: [String: UnsafeMutablePointer<Float>] = [:]

    /// Maps `path` and parses its header.
    public init(path: String) throws(WeightsError) {
        let name = (path as NSString).lastPathComponent
        fileName = name
        do {
            file = try MappedFile(path: path)
        } catch {
            switch error {
            case .io(_, let reason), .badSafetensors(_, let reason), .outOfBounds(_, let reason),
                .badConfig(_, let reason):
                throw .unreadable(file: path, reason: reason)
            }
        }
        let size = file.count
        fileSize = size
        guard size >= 8, let whole = try? file.bytes(0..<size), let mapped = whole.baseAddress
        else {
            throw .badHeader(
                file: name, reason: "file has \(size) bytes, fewer than the 8-byte header length")
        }
        base = mapped
        var headerLength: UInt64 = 0
        withUnsafeMutableBytes(of: &headerLength) {
            $0.copyMemory(from: UnsafeRawBufferPointer(start: mapped, count: 8))
        }
        headerLength = UInt64(littleEndian: headerLength)
        guard headerLength <= UInt64(size - 8),
            headerLength <= UInt64(SafetensorsHeader.maxHeaderSize)
        else {
            throw .badHeader(
                file: name,
                reason: "header length \(headerLength) exceeds the file size \(size) minus 8")
        }
        let n = Int(headerLength)
        dataStart = 8 + n
        let headerData = Data(bytes: mapped + 8, count: n)
        do {
            let parsed = try SafetensorsHeader.entries(json: headerData, file: name)
            var entries: [String: Entry] = [:]
            for e in parsed.entries {
                entries[e.name] = Entry(
                    dtype: e.dtype, shape: e.shape, begin: e.dataRange.lowerBound,
                    end: e.dataRange.upperBound)
            }
            self.entries = entries
        } catch {
            switch error {
            case .badSafetensors(_, let reason), .io(_, let reason), .outOfBounds(_, let reason),
                .badConfig(_, let reason):
                throw .badHeader(file: name, reason: reason)
            }
        }
        var digest = SHA256()
        digest.update(UnsafeRawBufferPointer(start: mapped, count: 8 + n))
        digest.update(Array(String(size).utf8))
        fingerprint = digest.finalizeHex()
    }

    deinit {
        for p in converted.values { p.deallocate() }
    }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    public func shape(of name: String) -> [Int]? { entries[name]?.shape }

    public func floats(_ name: String, shape: [Int]) throws(WeightsError) -> UnsafePointer<Float> {
        guard let entry = entries[name] else { throw .missingTensor(name: name, file: fileName) }
        guard entry.shape == shape else {
            throw .wrongShape(name: name, expected: shape, found: entry.shape, file: fileName)
        }
        let elementSize: Int
        switch entry.dtype {
        case "F32": elementSize = 4
        case "F16", "BF16": elementSize = 2
        default: throw .unsupportedDType(name: name, found: entry.dtype, file: fileName)
        }
        // Sizes come from config.json: multiply with overflow checks.
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else {
                throw .badDataRange(
                    name: name, expectedBytes: Int.max, foundBytes: entry.end - entry.begin,
                    file: fileName)
            }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow, entry.end - entry.begin == bytes else {
            throw .badDataRange(
                name: name, expectedBytes: overflow ? Int.max : bytes,
                foundBytes: entry.end - entry.begin,
                file: fileName)
        }
        guard dataStart + entry.end <= fileSize else {
            throw .truncated(
                name: name, end: dataStart + entry.end, fileSize: fileSize, file: fileName)
        }
        guard let base else { throw .unreadable(file: fileName, reason: "not mapped") }
        let raw = base + dataStart + entry.begin
        if entry.dtype == "F32", Int(bitPattern: raw) % MemoryLayout<Float>.alignment == 0 {
            return raw.assumingMemoryBound(to: Float.self)
        }
        lock.lock()
        defer { lock.unlock() }
        if let done = converted[name] { return UnsafePointer(done) }
        let out = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        switch entry.dtype {
        case "F32":
            for i in 0..<count { out[i] = raw.loadUnaligned(fromByteOffset: i * 4, as: Float.self) }
        case "F16":
            for i in 0..<count {
                out[i] = HalfPrecision.float(
                    fromHalf: UInt16(
                        littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
            }
        default:
            for i in 0..<count {
                out[i] = HalfPrecision.float(
                    fromBFloat16: UInt16(
                        littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
            }
        }
        converted[name] = out
        return UnsafePointer(out)
    }

    /// Drops the whole pages of `count` floats at `pointer` from memory when they lie in
    /// the mapped file (read-only and private, so they are read from the file again if
    /// touched); converted copies stay.
    /// The corresponding C function is `madvise`.
    public func willNotNeed(_ pointer: UnsafePointer<Float>, count: Int) {
        guard let base, count > 0 else { return }
        let start = UInt(bitPattern: pointer), end = start + UInt(count * 4)
        let fileStart = UInt(bitPattern: base), fileEnd = fileStart + UInt(fileSize)
        guard start >= fileStart, end <= fileEnd else { return }
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        let first = (start + page - 1) / page * page, last = end / page * page
        guard last > first, let address = UnsafeMutableRawPointer(bitPattern: first) else {
            return
        }
        _ = madvise(address, Int(last - first), MADV_DONTNEED)
    }
}
