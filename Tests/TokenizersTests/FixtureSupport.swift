import Foundation

/// Loading committed fixtures and writing scratch files for the Tokenizers tests.
enum FixtureSupport {
    struct MissingFixture: Error, CustomStringConvertible {
        let name: String
        var description: String { "fixture \(name) not found in the test bundle" }
    }

    /// The path of `Fixtures/<name>` inside the test bundle.
    static func path(_ name: String) throws -> String {
        guard let base = Bundle.module.resourceURL else { throw MissingFixture(name: name) }
        let url = base.appendingPathComponent("Fixtures").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingFixture(name: name)
        }
        return url.path
    }

    /// Decodes `Fixtures/<name>` as JSON.
    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(name)))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tokenizers-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `text` with every non-printable-ASCII scalar shown as `\u{…}`, for failure messages.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\\" {
                out.unicodeScalars.append(scalar)
            } else {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }
}

/// One reference string and the ids the reference tokenizer produced for it.
struct TokenCase: Decodable {
    let text: String
    let ids: [Int]
}
