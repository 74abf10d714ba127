import Foundation

@testable import CLIP

/// One committed parity fixture: a Hugging Face model folder plus reference.json.
struct Fixture {
    struct Text { let text: String; let ids: [Int]; let embedding: [Float] }
    struct Image { let pixels: [Float]; let embedding: [Float] }

    let directory: String
    let texts: [Text]
    let images: [Image]
    let jpegPath: String?
    let jpegEmbedding: [Float]?

    static let names = ["tiny224", "odd70"]

    init(_ name: String) throws {
        guard let root = Bundle.module.resourcePath else { throw FixtureError.missing("resources") }
        directory = root + "/Fixtures/" + name
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/reference.json"))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let texts = json["texts"] as? [[String: Any]],
            let images = json["images"] as? [[String: Any]]
        else { throw FixtureError.missing("reference.json fields") }
        self.texts = try texts.map { t in
            guard let text = t["text"] as? String, let ids = t["ids"] as? [Int],
                let e = t["embedding"] as? [NSNumber]
            else { throw FixtureError.missing("text entry") }
            return Text(text: text, ids: ids, embedding: e.map(\.floatValue))
        }
        let dir = directory
        self.images = try images.map { i in
            guard let file = i["pixels"] as? String, let e = i["embedding"] as? [NSNumber] else {
                throw FixtureError.missing("image entry")
            }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
            let pixels = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 4)).map {
                    Float(
                        bitPattern: UInt32(
                            littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)
                        ))
                }
            }
            return Image(pixels: pixels, embedding: e.map(\.floatValue))
        }
        if let jpeg = json["jpeg"] as? [String: Any], let file = jpeg["file"] as? String,
            let e = jpeg["embedding"] as? [NSNumber]
        {
            jpegPath = directory + "/" + file
            jpegEmbedding = e.map(\.floatValue)
        } else {
            jpegPath = nil
            jpegEmbedding = nil
        }
    }
}

enum FixtureError: Error { case missing(String) }

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

func cosine(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).map { $0 * $1 }.reduce(0, +)
}

/// A temporary copy of a fixture folder whose model.safetensors can be broken on purpose.
struct BrokenCopy {
    let directory: String

    init(of fixture: String) throws {
        let source = try Fixture(fixture).directory
        directory = NSTemporaryDirectory() + "picseek-clip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        for file in [
            "config.json", "model.safetensors", "preprocessor_config.json", "vocab.txt",
            "photo.jpg",
        ] {
            try FileManager.default.copyItem(
                atPath: source + "/" + file, toPath: directory + "/" + file)
        }
    }

    var weightsPath: String { directory + "/model.safetensors" }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// Rewrites the safetensors header with `edit` applied; the data section is kept.
    /// `extraPadding` spaces after the 8-byte-aligned header shift (misalign) the data.
    func editHeader(extraPadding: Int = 0, _ edit: (inout [String: Any]) -> Void) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: weightsPath))
        let n = data.prefix(8).withUnsafeBytes {
            Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)))
        }
        guard
            var header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + n)))
                as? [String: Any]
        else {
            throw FixtureError.missing("header")
        }
        edit(&header)
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        json.append(contentsOf: [UInt8](repeating: 0x20, count: extraPadding))
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(data.subdata(in: (8 + n)..<data.count))
        try out.write(to: URL(fileURLWithPath: weightsPath))
    }

    /// Rewrites every F32 tensor as BF16 (truncating the low 16 bits of each float).
    func convertToBFloat16() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: weightsPath))
        let n = data.prefix(8).withUnsafeBytes {
            Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)))
        }
        guard
            let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + n)))
                as? [String: Any]
        else {
            throw FixtureError.missing("header")
        }
        var newHeader: [String: Any] = [:]
        var body = Data()
        for (name, value) in header.sorted(by: { $0.key < $1.key }) {
            guard var entry = value as? [String: Any], let offsets = entry["data_offsets"] as? [Int]
            else {
                newHeader[name] = value
                continue
            }
            let bytes = data.subdata(in: (8 + n + offsets[0])..<(8 + n + offsets[1]))
            var converted = Data()
            bytes.withUnsafeBytes { raw in
                for i in 0..<(bytes.count / 4) {
                    let bits = raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
                    withUnsafeBytes(of: UInt16(truncatingIfNeeded: bits >> 16)) {
                        converted.append(contentsOf: $0)
                    }
                }
            }
            entry["dtype"] = "BF16"
            entry["data_offsets"] = [body.count, body.count + converted.count]
            body.append(converted)
            newHeader[name] = entry
        }
        var json = try JSONSerialization.data(withJSONObject: newHeader, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(body)
        try out.write(to: URL(fileURLWithPath: weightsPath))
    }

    /// Cuts the file to `keep` bytes.
    func truncate(keep: Int) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: weightsPath))
        try data.prefix(keep).write(to: URL(fileURLWithPath: weightsPath))
    }
}
