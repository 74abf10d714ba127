import Foundation

/// The header of a safetensors file: tensor names, types, shapes and byte ranges.
///
/// Reading it touches only the first `8 + N` bytes of the file, so a multi-gigabyte
/// file is checked without loading its data. `validate` checks every range against
/// the file size, the dtype and the shape.
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
    static let maxHeaderSize = 100_000_000

    /// Reads and validates the header of the file at `path`.
    public static func read(path: String) throws -> SafetensorsHeader {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ModelHubError.io(path: path, reason: "cannot open for reading")
        }
        defer { try? handle.close() }
        let fileSize: Int
        do {
            fileSize = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
        } catch {
            throw ModelHubError.io(path: path, reason: "\(error)")
        }
        guard fileSize >= 8, let prefix = try? handle.read(upToCount: 8), prefix.count == 8 else {
            throw ModelHubError.badSafetensors(file: path, reason: "shorter than 8 bytes")
        }
        var n: UInt64 = 0
        for b in prefix.reversed() { n = n << 8 | UInt64(b) }
        guard n >= 2, n <= UInt64(maxHeaderSize), Int(n) + 8 <= fileSize else {
            throw ModelHubError.badSafetensors(
                file: path, reason: "header length \(n) does not fit the file (\(fileSize) bytes)")
        }
        guard let json = try? handle.read(upToCount: Int(n)), json.count == Int(n) else {
            throw ModelHubError.badSafetensors(file: path, reason: "header cut short")
        }
        return try parse(json: json, dataOffset: 8 + Int(n), fileSize: fileSize, file: path)
    }

    /// Parses the JSON header and validates it against the file size.
    static func parse(json: Data, dataOffset: Int, fileSize: Int, file: String) throws
        -> SafetensorsHeader
    {
        func bad(_ why: String) -> ModelHubError { .badSafetensors(file: file, reason: why) }
        guard let object = try? JSONSerialization.jsonObject(with: json),
            let dict = object as? [String: Any]
        else { throw bad("header is not a JSON object") }
        var tensors: [Tensor] = []
        var metadata: [String: String] = [:]
        for (name, value) in dict {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else { throw bad("__metadata__ is not an object") }
                for (k, v) in m { metadata[k] = v as? String ?? "\(v)" }
                continue
            }
            guard let entry = value as? [String: Any],
                let dtypeName = entry["dtype"] as? String,
                let shapeValues = entry["shape"] as? [Any],
                let offsets = entry["data_offsets"] as? [Any], offsets.count == 2
            else { throw bad("tensor \(name): missing dtype, shape or data_offsets") }
            guard let dtype = TensorDType(rawValue: dtypeName) else {
                throw bad("tensor \(name): unsupported dtype \(dtypeName)")
            }
            let shape = try shapeValues.map { v -> Int in
                guard let i = intValue(v), i >= 0 else { throw bad("tensor \(name): bad shape") }
                return i
            }
            guard let begin = intValue(offsets[0]), let end = intValue(offsets[1]),
                begin >= 0, end >= begin
            else { throw bad("tensor \(name): bad data_offsets") }
            var count = 1
            for d in shape {
                let (m, overflow) = count.multipliedReportingOverflow(by: d)
                guard !overflow else { throw bad("tensor \(name): shape overflows") }
                count = m
            }
            guard end - begin == count * dtype.size else {
                throw bad("tensor \(name): \(end - begin) bytes for shape \(shape) of \(dtypeName)")
            }
            guard dataOffset + end <= fileSize else {
                throw bad("tensor \(name): bytes \(begin)..<\(end) lie past the end of the file "
                    + "(file truncated?)")
            }
            tensors.append(Tensor(name: name, dtype: dtype, shape: shape, dataRange: begin..<end))
        }
        tensors.sort { $0.name < $1.name }
        let byOffset = tensors.sorted { $0.dataRange.lowerBound < $1.dataRange.lowerBound }
        for (a, b) in zip(byOffset, byOffset.dropFirst()) where a.dataRange.upperBound > b.dataRange.lowerBound {
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
