import Foundation
import ModelFiles
import Testing

@testable import ModelHub

/// Hand-made pickles: executing them with Python's pickle would run `touch MARKER`.
@Suite("Pickle safety")
struct PickleSafetyTests {
    /// PROTO 2, GLOBAL module\nname\n, BINUNICODE command, TUPLE1, REDUCE, STOP.
    static func maliciousPickle(module: String, name: String, argument: String) -> [UInt8] {
        var p: [UInt8] = [0x80, 0x02, 0x63]
        p += Array("\(module)\n\(name)\n".utf8)
        let arg = Array(argument.utf8)
        p += [0x58] + (0..<4).map { UInt8(truncatingIfNeeded: arg.count >> (8 * $0)) } + arg
        p += [0x85, 0x52, 0x2E]
        return p
    }

    /// The same attack hidden as the value of a state dict entry, via STACK_GLOBAL (protocol 4).
    static func stackGlobalPickle(module: String, name: String, argument: String) -> [UInt8] {
        func short(_ s: String) -> [UInt8] {
            let b = Array(s.utf8); return [0x8C, UInt8(b.count)] + b
        }
        var p: [UInt8] = [0x80, 0x04, 0x7D, 0x28] // PROTO 4, EMPTY_DICT, MARK
        p += short("weight") + short(module) + short(name) + [0x93] // STACK_GLOBAL
        p += short(argument) + [0x85, 0x52, 0x75, 0x2E] // TUPLE1 REDUCE SETITEMS STOP
        return p
    }

    func checkRefused(_ pickle: [UInt8], global: String, marker: String, dir: String) throws {
        let path = dir + "/evil.pt"
        try writeFile(
            path,
            makeStoredZip([("evil/data.pkl", pickle), ("evil/byteorder", Array("little".utf8))]))
        do {
            _ = try TorchCheckpoint(path: path)
            Issue.record("a pickle naming \(global) was accepted")
        } catch let error as ModelHubError {
            #expect(error == .forbiddenGlobal(file: path, global: global))
            #expect(error.description.contains(global))
            #expect(error.description.contains("nothing was executed"))
        }
        #expect(
            !FileManager.default.fileExists(atPath: marker), "marker file appeared: the pickle ran")
    }

    @Test("refuses os.system, posix.system and builtins.eval without running them")
    func forbiddenGlobals() throws {
        let dir = makeTempDir("pickle")
        defer { cleanup(dir) }
        let marker = dir + "/PWNED"
        let cases: [(String, String, String)] = [
            ("os", "system", "touch \(marker)"),
            ("posix", "system", "touch \(marker)"),
            ("builtins", "eval", "__import__('os').system('touch \(marker)')"),
        ]
        for (module, name, argument) in cases {
            try checkRefused(
                Self.maliciousPickle(module: module, name: name, argument: argument),
                global: "\(module).\(name)", marker: marker, dir: dir)
            try checkRefused(
                Self.stackGlobalPickle(module: module, name: name, argument: argument),
                global: "\(module).\(name)", marker: marker, dir: dir)
        }
    }

    @Test("refuses a forbidden global through model import and installs nothing")
    func importRefuses() throws {
        let dir = makeTempDir("pickle-import")
        defer { cleanup(dir) }
        let marker = dir + "/PWNED"
        let path = dir + "/evil.bin"
        let pickle = Self.maliciousPickle(module: "os", name: "system", argument: "touch \(marker)")
        try writeFile(path, makeStoredZip([("archive/data.pkl", pickle)]))
        let library = makeLibrary(dir)
        #expect(throws: ModelHubError.forbiddenGlobal(file: path, global: "os.system")) {
            try ModelImporter(library: library).importModel(from: path, name: "evil")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(!FileManager.default.fileExists(atPath: library.folder(for: "evil")))
        #expect(
            !FileManager.default.fileExists(atPath: library.folder(for: "evil") + ".import.partial")
        )
    }

    @Test("refuses object-building opcodes and legacy non-zip checkpoints with clear errors")
    func otherRefusals() throws {
        let dir = makeTempDir("pickle-other")
        defer { cleanup(dir) }
        // INST (protocol 0) would instantiate a class.
        let inst: [UInt8] = [0x28] + Array("ios\nsystem\n".utf8) + [0x2E]
        let zipPath = dir + "/inst.pt"
        try writeFile(zipPath, makeStoredZip([("a/data.pkl", inst)]))
        do {
            _ = try TorchCheckpoint(path: zipPath)
            Issue.record("INST accepted")
        } catch let error as ModelHubError {
            #expect(error.description.contains("INST"))
        }
        let legacy = dir + "/legacy.pt"
        try writeFile(legacy, [0x80, 0x02, 0x8A, 0x0A] + [UInt8](repeating: 0, count: 20))
        do {
            _ = try TorchCheckpoint(path: legacy)
            Issue.record("legacy format accepted")
        } catch let error as ModelHubError {
            #expect(
                error.description.contains("legacy (non-zip) torch.save format is not supported"))
        }
    }

    @Test("reads a checkpoint whose zip uses zip64 sizes and offsets")
    func zip64() throws {
        let original = try MappedFile(path: try fixture("views.pt"))
        let zip = try ZipArchive(original)
        let entries = try zip.names.map { name -> (String, [UInt8]) in
            (name, Array(try zip.bytes(of: try #require(zip.entries[name]))))
        }
        let dir = makeTempDir("zip64")
        defer { cleanup(dir) }
        try writeFile(dir + "/views64.pt", makeStoredZip(entries, zip64: true))
        let a = try TorchCheckpoint(path: try fixture("views.pt")).stateDict().tensors
        let b = try TorchCheckpoint(path: dir + "/views64.pt").stateDict().tensors
        #expect(a.map(\.name) == b.map(\.name))
        #expect(a.map(\.tensor.shape) == b.map(\.tensor.shape))
        #expect(a.map(\.tensor.storage.byteRange.count) == b.map(\.tensor.storage.byteRange.count))
        let reread = try ZipArchive(try MappedFile(path: dir + "/views64.pt"))
        for (name, bytes) in entries {
            let entry = try #require(reread.entries[name])
            let same = Array(try reread.bytes(of: entry)) == bytes
            #expect(same, "entry \(name)")
        }
    }

    @Test("reads views that share one storage: offsets, a transposed view and float16")
    func views() throws {
        let checkpoint = try TorchCheckpoint(path: try fixture("views.pt"))
        let (tensors, _) = try checkpoint.stateDict()
        let reference =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: try fixture("reference.json"))))
            as? [String: Any]
        let views = try #require(reference?["views"] as? [String: [String: Any]])
        #expect(Set(tensors.map(\.name)) == Set(views.keys))
        let dir = makeTempDir("views")
        defer { cleanup(dir) }
        for (name, tensor) in tensors {
            let expected = try #require(views[name])
            #expect(tensor.shape == (expected["shape"] as? [Int]))
            let out = try OutputFile(finalPath: dir + "/" + name)
            try checkpoint.write(tensor, to: out)
            try out.commit()
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            let values: [Float] =
                tensor.dtype == .f16
                ? stride(from: 0, to: bytes.count, by: 2).map {
                    Float(Float16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8))
                }
                : stride(from: 0, to: bytes.count, by: 4).map {
                    Float(
                        bitPattern: UInt32(bytes[$0]) | UInt32(bytes[$0 + 1]) << 8 | UInt32(
                            bytes[$0 + 2]) << 16 | UInt32(bytes[$0 + 3]) << 24)
                }
            let want = (expected["values"] as? [Double] ?? []).map { Float($0) }
            #expect(values == want, "tensor \(name)")
        }
        #expect(tensors.first { $0.name == "transposed" }?.tensor.isContiguous == false)
    }
}
