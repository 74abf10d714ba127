import Foundation
import Testing

private let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `picseek` next to the test bundle (SwiftPM puts both in one folder).
private var binary: String? {
    var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = folder.appendingPathComponent("picseek").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        folder = folder.deletingLastPathComponent()
    }
    return nil
}

/// Runs picseek with `arguments`; returns (status, stdout, stderr).
private func picseek(_ arguments: [String], environment: [String: String] = [:]) throws
    -> (Int32, String, String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(binary))
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: outData, as: UTF8.self),
        String(decoding: errData, as: UTF8.self)
    )
}

/// A temporary folder with the test images and an index of them.
private final class Sandbox {
    let dir = NSTemporaryDirectory() + "picseek-ocr-\(UUID().uuidString)"
    var photos: String { dir + "/photos" }
    var database: String { dir + "/index.sqlite" }
    let model = repository.appendingPathComponent("models/picseek-demo").path

    init() throws {
        try FileManager.default.createDirectory(atPath: photos, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.folder)
        where name.hasSuffix(".png") || name.hasSuffix(".jpg") {
            try FileManager.default.copyItem(
                atPath: Fixtures.folder + "/" + name, toPath: photos + "/" + name)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }
}

@Suite("picseek search --text", .serialized)
struct SearchByTextTests {
    /// Each phrase and the picture it is drawn on.
    static let phrases: [(String, String)] = [
        ("营业时间", "sign-station.png"), ("Beijing Railway", "sign-station.png"),
        ("Starbucks", "sign-cafe.jpg"), ("订单号", "screenshot-order.png"),
        ("Tracking number", "screenshot-order.png"), ("Quarterly Report", "document-report.png"),
        ("twelve percent", "document-report.png"), ("会议纪要", "document-minutes.png"),
        ("销售情况", "document-minutes.png"), ("准时参加", "document-minutes.png"),
    ]

    @Test("each test phrase finds its picture first, in plain and JSON output with the snippet")
    func phrasesFindTheirPictures() throws {
        let box = try Sandbox()
        let (status, out, err) = try picseek(
            ["index", box.photos, "--db", box.database, "--model", box.model])
        #expect(status == 0, "stderr: \(err)")
        #expect(out.contains("words read in 6 photos"), "stdout: \(out)")
        for (phrase, picture) in Self.phrases {
            let (s, plain, e) = try picseek(["search", "--text", phrase, "--db", box.database])
            #expect(s == 0, "stderr: \(e)")
            let first = plain.split(separator: "\n").first.map(String.init) ?? ""
            #expect(first.hasSuffix("/" + picture), "\(phrase): \(plain)")
            let marked = "[" + phrase.lowercased() + "]"
            #expect(first.lowercased().contains(marked), "\(phrase): \(plain)")
        }
        let (_, json, _) = try picseek(["search", "--text", "营业时间", "--json", "--db", box.database])
        let line = try #require(json.split(separator: "\n").first)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((object["path"] as? String)?.hasSuffix("/sign-station.png") == true)
        #expect((object["snippet"] as? String)?.contains("[营业时间]") == true)
        // The photo without text matches none of the phrases.
        let (_, none, _) = try picseek(["search", "--text", "Station", "--db", box.database])
        #expect(!none.contains("photo-no-text"))
        // A text: term in a search by meaning keeps only photos whose words match.
        let (s2, mixed, e2) = try picseek(
            ["search", "a sign", "text:星巴克", "--db", box.database, "--model", box.model])
        #expect(s2 == 0, "stderr: \(e2)")
        let lines = mixed.split(separator: "\n")
        #expect(lines.count == 1 && lines.first?.contains("/sign-cafe.jpg") == true, "\(mixed)")
    }

    @Test("PICSEEK_OCR=off indexes vectors and reads no words; --ocr-only reads them later")
    func switchOff() throws {
        let box = try Sandbox()
        let (status, out, err) = try picseek(
            ["index", box.photos, "--db", box.database, "--model", box.model],
            environment: ["PICSEEK_OCR": "off"])
        #expect(status == 0, "stderr: \(err)")
        #expect(!out.contains("words read"), "stdout: \(out)")
        let (_, none, note) = try picseek(["search", "--text", "营业时间", "--db", box.database])
        #expect(none.isEmpty)
        #expect(note.contains("6 photos have not been read"), "stderr: \(note)")
        let (off, _, refused) = try picseek(
            ["index", "--ocr-only", "--db", box.database], environment: ["PICSEEK_OCR": "off"])
        #expect(off != 0 && refused.contains("turned off"), "stderr: \(refused)")
        let (s2, out2, e2) = try picseek(["index", "--ocr-only", "--db", box.database])
        #expect(s2 == 0, "stderr: \(e2)")
        #expect(out2.contains("words read in 6 photos"), "stdout: \(out2)")
        let (_, found, _) = try picseek(["search", "--text", "营业时间", "--db", box.database])
        #expect(found.contains("/sign-station.png"))
    }
}
