import Foundation

/// The header of a safetensors file: tensor names, types, shapes and byte ranges.
///
/// Reading it touches only the first `8 + N` bytes of the file, so a multi-gigabyte
/// file is checked without loading its data. Two levels of checking share one parser:
/// `entries(json:file:)` checks only the form of each entry (what a loader that checks
/// tensors when it asks for them needs), and `parse`/`read` also check every dtype and
/// byte range against the shape, the file size and each other.
public struct SafetensorsHeader: Sendable {
    /// One tensor's entry.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var dtype: TensorDType
        public var shape: [Int]
        /// Byte range relative to the start of the data section.
        public var dataRange: Range<Int>

        /// Number of elements (1 for a scalar).
        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// One entry as the header states it, before its dtype and byte range are checked.
    public struct Entry: Sendable, Equatable {
        /// The tensor's name.
        public var name: String
        /// The dtype as written (`F32`, `BF16`, …), known to this reader or not.
        public var dtype: String
        /// The shape as written (non-negative integers).
        public var shape: [Int]
        /// Byte range relative to the start of the data section.
        public var dataRange: Range<Int>

        /// An entry as the header states it.
        public init(name: String, dtype: String, shape: [Int], dataRange: Range<Int>) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.dataRange = dataRange
        }
    }

    /// Tensors sorted by name.
    public var tensors: [Tensor]
    /// The optional `__metadata__` string map.
    public var metadata: [String: String]
    /// Offset of the data section in the file (8 + header length).
    public var dataOffset: Int
    /// Size of the whole file.
    public var fileSize: Int

    /// Total number of elements of the floating-point tensors (the parameters).
    public var parameterCount: Int {
        tensors.filter { $0.dtype.isFloat }.reduce(0) { $0 + $1.elementCount }
    }

    /// Largest header this reader accepts (the format's own limit is 100 MB).
    public static let maxHeaderSize = 100_000_000

    /// Largest data offset an entry may state (far beyond any real file).
    static let maxDataOffset = 1 << 50

    /// Reads and validates the header of the file at `path`.
    public static func read(path: String) throws(ModelFileError) -> SafetensorsHeader {
        let file = try MappedFile(path: path)
        let fileSize = file.count
        guard fileSize >= 8 else {
            throw .badSafetensors(file: path, reason: "shorter than 8 bytes")
        }
        let n = try file.littleEndian(at: 0, size: 8)
        guard n >= 2, n <= UInt64(maxHeaderSize), Int(n) + 8 <= fileSize else {
            throw .badSafetensors(
                file: path, reason: "header length \(n) does not fit the file (\(fileSize) bytes)")
        }
        let json = Data(try file.bytes(8..<8 + Int(n)))
        return try parse(json: json, dataOffset: 8 + Int(n), fileSize: fileSize, file: path)
    }

    /// Parses the JSON header into entries and the `__metadata__` map, checking the form
    /// of each entry only: a dtype string, a shape of non-negative integers, and offsets
    /// `0 <= begin <= end` below 2^50. Entries come in no particular order.
    public static func entries(
        json: Data, file: String
    ) throws(ModelFileError) -> (entries: [Entry], metadata: [String: String]) {
        func bad(_ why: String) -> ModelFileError { .badSafetensors(file: file, reason: why) }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw bad("header is not valid JSON")
        }
        guard let dict = object as? [String: Any] else { throw bad("header is not a JSON object") }
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for (name, value) in dict {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else {
                    throw bad("__metadata__ is not an object")
                }
                for (k, v) in m { metadata[k] = v as? String ?? "\(v)" }
                continue
            }
            guard let entry = value as? [String: Any],
                let dtype = entry["dtype"] as? String,
                let shapeValues = entry["shape"] as? [Any],
                let offsets = entry["data_offsets"] as? [Any], offsets.count == 2
            else { throw bad("tensor \(name): missing dtype, shape or data_offsets") }
            var shape: [Int] = []
            for v in shapeValues {
                guard let i = intValue(v), i >= 0 else { throw bad("tensor \(name): bad shape") }
                shape.append(i)
            }
            guard let begin = intValue(offsets[0]), let end = intValue(offsets[1]),
                begin >= 0, end >= begin, end < maxDataOffset
            else { throw bad("tensor \(name): bad data_offsets") }
            entries.append(Entry(name: name, dtype: dtype, shape: shape, dataRange: begin..<end))
        }
        return (entries, metadata)
    }

    /// Parses the JSON header and validates it against the file size.
    public static func parse(
        json: Data, dataOffset: Int, fileSize: Int, file: String
    ) throws(ModelFileError) -> SafetensorsHeader {
        func bad(_ why: String) -> ModelFileError { .badSafetensors(file: file, reason: why) }
        let (entries, metadata) = try entries(json: json, file: file)
        var tensors: [Tensor] = []
        for entry in entries {
            let name = entry.name
            guard let dtype = TensorDType(rawValue: entry.dtype) else {
                throw bad("tensor \(name): unsupported dtype \(entry.dtype)")
            }
            var count = 1
            for d in entry.shape {
                let (m, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow else { throw bad("tensor \(name): shape overflows") }
                count = m
            }
            let range = entry.dataRange
            let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, range.count == bytes else {
                throw bad(
                    "tensor \(name): \(range.count) bytes for shape \(entry.shape) of "
                        + entry.dtype)
            }
            guard dataOffset + range.upperBound <= fileSize else {
                throw bad(
                    "tensor \(name): bytes \(range.lowerBound)..<\(range.upperBound) "
                        + "lie past the end of the file (file truncated?)")
            }
            tensors.append(Tensor(name: name, dtype: dtype, shape: entry.shape, dataRange: range))
        }
        tensors.sort { $0.name < $1.name }
        let byOffset = tensors.sorted { $0.dataRange.lowerBound < $1.dataRange.lowerBound }
        for (a, b) in zip(byOffset, byOffset.dropFirst())
        where a.dataRange.upperBound > b.dataRange.lowerBound {
            throw bad("tensors \(a.name) and \(b.name) overlap")
        }
        return SafetensorsHeader(
            tensors: tensors, metadata: metadata, dataOffset: dataOffset, fileSize: fileSize)
    }

    /// The entry named `name`, if any.
    public func tensor(_ name: String) -> Tensor? {
        tensors.first { $0.name == name }
    }
}

private func intValue(_ v: Any) -> Int? {
    if let n = v as? NSNumber {
        let d = n.doubleValue
        guard d == d.rounded(), abs(d) < 9e15 else { return nil }
        return n.intValue
    }
    return nil
}
