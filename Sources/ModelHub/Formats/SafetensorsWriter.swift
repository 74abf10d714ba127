import Foundation
import ModelFiles
import PicseekCore

/// One tensor to be written: its header entry and a function that writes its bytes.
public struct TensorPayload {
    public var name: String
    public var dtype: TensorDType
    public var shape: [Int]
    /// Writes exactly `shape.product * dtype.size` bytes.
    public var write: (OutputFile) throws -> Void

    public init(
        name: String, dtype: TensorDType, shape: [Int], write: @escaping (OutputFile) throws -> Void
    ) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.write = write
    }

    /// Size of the tensor's data in bytes.
    public var byteCount: Int { shape.reduce(1, *) * dtype.size }
}

/// Writes safetensors files: header JSON with sorted names, padded with spaces to
/// 8-byte alignment, then each tensor's bytes in name order.
///
/// Tensors are written one at a time, so memory holds at most one tensor.
public enum SafetensorsWriter {
    /// Writes `tensors` atomically (temp file, fsync, rename) to `path`.
    public static func write(
        _ tensors: [TensorPayload], metadata: [String: String] = ["format": "pt"],
        to path: String
    ) throws {
        let sorted = tensors.sorted { $0.name < $1.name }
        var seen = Set<String>()
        for t in sorted where !seen.insert(t.name).inserted {
            throw ModelHubError.badCheckpoint(file: path, reason: "tensor \(t.name) appears twice")
        }
        var json = "{"
        if !metadata.isEmpty {
            json += "\"__metadata__\":{"
            json += metadata.keys.sorted().map { "\(quote($0)):\(quote(metadata[$0] ?? ""))" }
                .joined(separator: ",")
            json += "},"
        }
        var offset = 0
        var parts: [String] = []
        for t in sorted {
            let end = offset + t.byteCount
            parts.append(
                "\(quote(t.name)):{\"dtype\":\"\(t.dtype.rawValue)\",\"shape\":["
                    + t.shape.map(String.init).joined(separator: ",")
                    + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        json += parts.joined(separator: ",") + "}"
        var header = Array(json.utf8)
        while (header.count + 8) % 8 != 0 { header.append(0x20) }
        let out = try OutputFile(finalPath: path)
        do {
            var length = UInt64(header.count).littleEndian
            try withUnsafeBytes(of: &length) { try out.write($0) }
            try out.write(header)
            for t in sorted {
                let before = out.bytesWritten
                try t.write(out)
                guard out.bytesWritten - before == Int64(t.byteCount) else {
                    throw ModelHubError.badCheckpoint(
                        file: path,
                        reason: "tensor \(t.name): wrote \(out.bytesWritten - before) "
                            + "bytes, expected \(t.byteCount)")
                }
            }
            try out.commit()
        } catch {
            out.discard()
            throw error
        }
    }

    static func quote(_ s: String) -> String { JSONText.quote(s) }
}
