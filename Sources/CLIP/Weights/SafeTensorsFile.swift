import PicseekCore
import Foundation

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

    private let base: UnsafeMutableRawPointer?
    private let dataStart: Int
    private let lock = NSLock()
    private var converted: [String: UnsafeMutablePointer<Float>] = [:]

    /// Maps `path` and parses its header.
    public init(path: String) throws(WeightsError) {
        let name = (path as NSString).lastPathComponent
        fileName = name
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw .unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .unreadable(file: path, reason: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .unreadable(file: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        fileSize = size
        guard size >= 8 else {
            throw .badHeader(file: name, reason: "file has \(size) bytes, fewer than the 8-byte header length")
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw .unreadable(file: path, reason: "mmap failed: " + String(cString: strerror(errno)))
        }
        base = mapped
        var headerLength: UInt64 = 0
        withUnsafeMutableBytes(of: &headerLength) { $0.copyMemory(from: UnsafeRawBufferPointer(start: mapped, count: 8)) }
        headerLength = UInt64(littleEndian: headerLength)
        guard headerLength <= UInt64(size - 8), headerLength <= 100_000_000 else {
            munmap(mapped, size)
            throw .badHeader(
                file: name, reason: "header length \(headerLength) exceeds the file size \(size) minus 8")
        }
        let n = Int(headerLength)
        dataStart = 8 + n
        let headerData = Data(bytes: mapped + 8, count: n)
        do {
            entries = try Self.parseHeader(headerData, file: name)
        } catch {
            munmap(mapped, size)
            throw error
        }
        var digest = SHA256()
        digest.update(UnsafeRawBufferPointer(start: mapped, count: 8 + n))
        digest.update(Array(String(size).utf8))
        fingerprint = digest.finalizeHex()
    }

    deinit {
        for p in converted.values { p.deallocate() }
        if let base { munmap(base, fileSize) }
    }

    static func parseHeader(_ data: Data, file: String) throws(WeightsError) -> [String: Entry] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw .badHeader(file: file, reason: "header is not valid JSON")
        }
        guard let dict = object as? [String: Any] else {
            throw .badHeader(file: file, reason: "header is not a JSON object")
        }
        var entries: [String: Entry] = [:]
        for (key, value) in dict where key != "__metadata__" {
            guard let fields = value as? [String: Any],
                let dtype = fields["dtype"] as? String,
                let shape = (fields["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                (fields["shape"] as? [Any])?.count == shape.count,
                let offsets = (fields["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                offsets.count == 2
            else {
                throw .badHeader(file: file, reason: "entry \(key) lacks dtype, shape or data_offsets")
            }
            guard offsets[0] >= 0, offsets[1] >= offsets[0], offsets[1] < 1 << 50, shape.allSatisfy({ $0 >= 0 }) else {
                throw .badHeader(file: file, reason: "entry \(key) has invalid offsets \(offsets) or shape \(shape)")
            }
            entries[key] = Entry(dtype: dtype, shape: shape, begin: offsets[0], end: offsets[1])
        }
        return entries
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
                throw .badDataRange(name: name, expectedBytes: Int.max, foundBytes: entry.end - entry.begin, file: fileName)
            }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        guard !overflow, entry.end - entry.begin == bytes else {
            throw .badDataRange(
                name: name, expectedBytes: overflow ? Int.max : bytes, foundBytes: entry.end - entry.begin,
                file: fileName)
        }
        guard dataStart + entry.end <= fileSize else {
            throw .truncated(name: name, end: dataStart + entry.end, fileSize: fileSize, file: fileName)
        }
        guard let base else { throw .unreadable(file: fileName, reason: "not mapped") }
        let raw = UnsafeRawPointer(base + dataStart + entry.begin)
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
                out[i] = HalfPrecision.float(fromHalf: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
            }
        default:
            for i in 0..<count {
                out[i] = HalfPrecision.float(fromBFloat16: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
            }
        }
        converted[name] = out
        return UnsafePointer(out)
    }
}
