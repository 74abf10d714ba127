import Foundation
import ModelFiles
import PicseekCore

@testable import ModelHub

/// SHA-256 of bytes, lowercase hex.
func sha256Hex(_ bytes: [UInt8]) -> String { SHA256.hex(of: bytes) }

/// A fresh temporary folder, removed by the caller with `cleanup`.
func makeTempDir(_ label: String = "mh") -> String {
    let path = NSTemporaryDirectory() + "picseek-\(label)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func cleanup(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

/// Path of a committed fixture.
func fixture(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
        throw ModelHubError.io(
            path: "Fixtures", reason: "fixture folder missing from the test bundle")
    }
    return url.path + "/" + name
}

/// A library whose folders are all inside `root`.
func makeLibrary(_ root: String, bundled: [String] = []) -> ModelLibrary {
    ModelLibrary(
        modelsDirectory: root + "/models", configFile: root + "/config/config.toml",
        bundledSearchRoots: bundled)
}

/// Every tensor of a safetensors file: name -> (dtype, shape, raw bytes).
func readTensors(_ path: String) throws -> [String: (String, [Int], [UInt8])] {
    let header = try SafetensorsHeader.read(path: path)
    let file = try MappedFile(path: path)
    var out: [String: (String, [Int], [UInt8])] = [:]
    for t in header.tensors {
        let range =
            header.dataOffset + t.dataRange.lowerBound..<header.dataOffset + t.dataRange.upperBound
        out[t.name] = (t.dtype.rawValue, t.shape, Array(try file.bytes(range)))
    }
    return out
}

/// Writes `text` to `path`, creating folders.
func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// Builds a stored (uncompressed) zip the way torch.save lays one out, for hand-made pickles.
/// With `zip64`, every size and offset is moved into zip64 extra fields and records, as
/// writers do for archives past 4 GiB.
func makeStoredZip(_ entries: [(String, [UInt8])], zip64: Bool = false) -> [UInt8] {
    if zip64 { return makeStoredZip64(entries) }
    var out: [UInt8] = []
    var central: [UInt8] = []
    func le(_ v: Int, _ n: Int) -> [UInt8] {
        (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
    }
    for (name, data) in entries {
        let offset = out.count
        let nameBytes = Array(name.utf8)
        out += le(0x0403_4b50, 4) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
        out +=
            le(data.count, 4) + le(data.count, 4) + le(nameBytes.count, 2) + le(0, 2) + nameBytes
            + data
        central +=
            le(0x0201_4b50, 4) + le(20, 2) + le(20, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
        central +=
            le(data.count, 4) + le(data.count, 4) + le(nameBytes.count, 2) + le(0, 2) + le(0, 2)
        central += le(0, 2) + le(0, 2) + le(0, 4) + le(offset, 4) + nameBytes
    }
    let cdOffset = out.count
    out += central
    out += le(0x0605_4b50, 4) + le(0, 2) + le(0, 2) + le(entries.count, 2) + le(entries.count, 2)
    out += le(central.count, 4) + le(cdOffset, 4) + le(0, 2)
    return out
}

private func makeStoredZip64(_ entries: [(String, [UInt8])]) -> [UInt8] {
    var out: [UInt8] = []
    var central: [UInt8] = []
    func le(_ v: Int, _ n: Int) -> [UInt8] {
        (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
    }
    let max32 = 0xFFFF_FFFF
    for (name, data) in entries {
        let offset = out.count
        let nameBytes = Array(name.utf8)
        let localExtra = le(1, 2) + le(16, 2) + le(data.count, 8) + le(data.count, 8)
        out += le(0x0403_4b50, 4) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
        out += le(max32, 4) + le(max32, 4) + le(nameBytes.count, 2) + le(localExtra.count, 2)
        out += nameBytes + localExtra + data
        let extra = le(1, 2) + le(24, 2) + le(data.count, 8) + le(data.count, 8) + le(offset, 8)
        central +=
            le(0x0201_4b50, 4) + le(45, 2) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
        central +=
            le(max32, 4) + le(max32, 4) + le(nameBytes.count, 2) + le(extra.count, 2) + le(0, 2)
        central += le(0, 2) + le(0, 2) + le(0, 4) + le(max32, 4) + nameBytes + extra
    }
    let cdOffset = out.count
    out += central
    let z64 = out.count
    out += le(0x0606_4b50, 4) + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4)
    out += le(entries.count, 8) + le(entries.count, 8) + le(central.count, 8) + le(cdOffset, 8)
    out += le(0x0706_4b50, 4) + le(0, 4) + le(z64, 8) + le(1, 4)
    out += le(0x0605_4b50, 4) + le(0, 2) + le(0, 2) + le(0xFFFF, 2) + le(0xFFFF, 2)
    out += le(max32, 4) + le(max32, 4) + le(0, 2)
    return out
}
