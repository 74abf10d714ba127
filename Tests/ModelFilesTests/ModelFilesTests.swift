import Foundation
import ModelFiles
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A safetensors file built by hand: header JSON padded to 8 bytes, then `data`.
private func safetensors(_ header: String, data: [UInt8]) -> [UInt8] {
    var json = Array(header.utf8)
    while json.count % 8 != 0 { json.append(0x20) }
    var bytes: [UInt8] = []
    var n = UInt64(json.count)
    for _ in 0..<8 {
        bytes.append(UInt8(n & 0xFF))
        n >>= 8
    }
    return bytes + json + data
}

/// Writes `bytes` to a fresh file under the temporary directory and returns its path.
private func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let path =
        NSTemporaryDirectory() + "picseek-modelfiles-\(getpid())-\(UUID().uuidString)-"
        + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite("Model files: safetensors headers, mapped files, dtypes")
struct ModelFilesTests {
    @Test("a valid header lists its tensors sorted by name, with ranges past the header")
    func readsHeader() throws {
        let header =
            #"{"b": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "#
            + #""a": {"dtype": "BF16", "shape": [2, 1], "data_offsets": [8, 12]}, "#
            + #""__metadata__": {"format": "pt"}}"#
        let path = try temporaryFile("ok.safetensors", safetensors(header, data: Array(0..<12)))
        defer { unlink(path) }
        let parsed = try SafetensorsHeader.read(path: path)
        #expect(parsed.tensors.map(\.name) == ["a", "b"])
        #expect(parsed.tensors.map(\.dtype) == [.bf16, .f32])
        #expect(parsed.tensors.map(\.dataRange) == [8..<12, 0..<8])
        #expect(parsed.metadata == ["format": "pt"])
        #expect(parsed.dataOffset % 8 == 0)
        #expect(parsed.fileSize == parsed.dataOffset + 12)
        #expect(parsed.parameterCount == 4)
    }

    @Test("the form-only parse accepts what the full check refuses, each with its reason")
    func twoLevels() throws {
        // An unknown dtype and a range longer than the file: fine for a loader that checks
        // tensors when it asks for them, refused by the full check.
        let json = Data(#"{"x": {"dtype": "F8_E4M3", "shape": [4], "data_offsets": [0, 4]}}"#.utf8)
        let (entries, _) = try SafetensorsHeader.entries(json: json, file: "m.safetensors")
        #expect(entries == [.init(name: "x", dtype: "F8_E4M3", shape: [4], dataRange: 0..<4)])
        #expect(
            throws: ModelFileError.badSafetensors(
                file: "m.safetensors", reason: "tensor x: unsupported dtype F8_E4M3")
        ) {
            try SafetensorsHeader.parse(
                json: json, dataOffset: 8, fileSize: 100, file: "m.safetensors")
        }
        let past = Data(#"{"x": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}"#.utf8)
        do {
            _ = try SafetensorsHeader.parse(json: past, dataOffset: 8, fileSize: 20, file: "m")
            Issue.record("a range past the end was accepted")
        } catch {
            #expect(error.description.contains("past the end of the file"))
        }
    }

    @Test(
        "malformed headers are refused with a reason naming the tensor",
        arguments: [
            (#"{"x": 1"#, "header is not valid JSON"),
            ("[1, 2]", "header is not a JSON object"),
            (
                #"{"x": {"dtype": "F32", "shape": [1]}}"#,
                "tensor x: missing dtype, shape or data_offsets"
            ),
            (
                #"{"x": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 0]}}"#,
                "tensor x: bad shape"
            ),
            (
                #"{"x": {"dtype": "F32", "shape": [1], "data_offsets": [0, 1152921504606846976]}}"#,
                "tensor x: bad data_offsets"
            ),
        ])
    func malformed(json: String, reason: String) {
        #expect(throws: ModelFileError.badSafetensors(file: "m", reason: reason)) {
            try SafetensorsHeader.entries(json: Data(json.utf8), file: "m")
        }
    }

    @Test("overlapping tensors are refused")
    func overlap() {
        let json = Data(
            (#"{"a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]}, "#
                + #""b": {"dtype": "U8", "shape": [4], "data_offsets": [2, 6]}}"#).utf8)
        let refusal = ModelFileError.badSafetensors(file: "m", reason: "tensors a and b overlap")
        #expect(throws: refusal) {
            try SafetensorsHeader.parse(json: json, dataOffset: 8, fileSize: 100, file: "m")
        }
    }

    @Test("a mapped file gives the bytes asked for and refuses ranges outside it")
    func mappedFile() throws {
        let path = try temporaryFile("bytes.bin", [1, 2, 3, 4, 5, 6, 7, 8, 9])
        defer { unlink(path) }
        let file = try MappedFile(path: path)
        #expect(file.count == 9)
        #expect(Array(try file.bytes(2..<5)) == [3, 4, 5])
        #expect(try file.littleEndian(at: 0, size: 2) == 0x0201)
        #expect(
            throws: ModelFileError.outOfBounds(
                file: path, reason: "byte range 8..<10 lies outside the file (9 bytes)")
        ) {
            try file.bytes(8..<10)
        }
        let empty = try temporaryFile("empty.bin", [])
        defer { unlink(empty) }
        #expect(try MappedFile(path: empty).count == 0)
    }

    @Test("a FIFO or a missing file is refused by the mapper at once, naming the path")
    func mappedFileRefusals() throws {
        let pipe =
            NSTemporaryDirectory()
            + "picseek-modelfiles-fifo-\(getpid())-\(UUID().uuidString)"
        #expect(mkfifo(pipe, 0o644) == 0)
        defer { unlink(pipe) }
        #expect(throws: ModelFileError.io(path: pipe, reason: "not a regular file")) {
            try MappedFile(path: pipe)
        }
        let missing = pipe + "-missing"
        #expect(throws: ModelFileError.io(path: missing, reason: "no such file or directory")) {
            try MappedFile(path: missing)
        }
    }

    @Test("half and bfloat16 bits convert to the right floats")
    func halfPrecision() {
        #expect(HalfPrecision.float(fromHalf: 0x3C00) == 1)
        #expect(HalfPrecision.float(fromHalf: 0xC000) == -2)
        let smallest = Float(sign: .plus, exponent: -24, significand: 1)
        #expect(HalfPrecision.float(fromHalf: 0x0001) == smallest)
        #expect(HalfPrecision.float(fromHalf: 0x7BFF) == 65504)
        #expect(HalfPrecision.float(fromHalf: 0x7C00) == .infinity)
        #expect(HalfPrecision.float(fromBFloat16: 0x3F80) == 1)
        #expect(HalfPrecision.float(fromBFloat16: 0xC040) == -3)
    }

    @Test("PyTorch storage and dtype names map to safetensors dtypes of the right size")
    func dtypes() {
        #expect(TensorDType(torchStorage: "BFloat16Storage") == .bf16)
        #expect(TensorDType(torchDType: "float16") == .f16)
        #expect(TensorDType(torchStorage: "NoSuchStorage") == nil)
        #expect(TensorDType.allCases.map(\.size) == [8, 4, 2, 2, 8, 4, 2, 1, 1, 1])
        #expect(TensorDType.allCases.filter(\.isFloat) == [.f64, .f32, .f16, .bf16])
    }
}
