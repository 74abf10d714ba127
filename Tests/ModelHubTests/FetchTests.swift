import Foundation
import Testing

@testable import ModelHub

/// Fetch against the in-process server on 127.0.0.1.
@Suite("Model fetch", .serialized)
struct FetchTests {
    /// A served copy of the tiny reference model.
    final class Fixture {
        let dir = makeTempDir("fetch")
        var serveDir: String { dir + "/serve" }
        var library: ModelLibrary { makeLibrary(dir) }
        let server: LocalHTTPServer
        var events: [FetchEvent] = []

        init(_ options: LocalHTTPServer.Options) throws {
            try FileManager.default.createDirectory(
                atPath: dir + "/serve", withIntermediateDirectories: true)
            for f in ["hf/model.safetensors", "hf/config.json", "hf-bin/pytorch_model.bin"] {
                try FileManager.default.copyItem(
                    atPath: try fixture(f),
                    toPath: dir + "/serve/" + (f as NSString).lastPathComponent)
            }
            server = try LocalHTTPServer(root: dir + "/serve", options: options)
        }

        deinit {
            server.stop()
            cleanup(dir)
        }

        func fetch(_ entry: ModelEntry) throws -> String {
            var fetcher = ModelFetcher(library: library, endpoint: server.endpoint + "/") {
                [weak self] in
                self?.events.append($0)
            }
            fetcher.timeout = 10
            return try fetcher.fetch(entry: entry)
        }

        func bytes(_ file: String) throws -> [UInt8] {
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: serveDir + "/" + file)))
        }
    }

    static func entry(weights: ModelEntry.RemoteFile, extra: [ModelEntry.RemoteFile] = [])
        -> ModelEntry
    {
        ModelEntry(
            name: "tiny-remote", family: "chinese-clip", title: "tiny",
            source: .huggingFace(repo: "test/tiny"),
            files: [.init("config.json")] + extra + [weights], licence: "test")
    }

    static let safetensors = ModelEntry.RemoteFile(
        "model.safetensors", revision: "refs/pr/1", kind: .safetensors)

    @Test(
        "downloads through a hub-style redirect to another host, verifies X-Linked-Etag, installs atomically"
    )
    func fetchWorks() throws {
        let f = try Fixture(.init(linkedEtag: ["model.safetensors"], redirectHost: "localhost"))
        let folder = try f.fetch(Self.entry(weights: Self.safetensors))
        #expect(folder == f.library.folder(for: "tiny-remote"))
        #expect(try readTensors(folder + "/model.safetensors").count == 79)
        let sha = sha256Hex(try f.bytes("model.safetensors"))
        #expect(
            sha256Hex(
                [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/model.safetensors"))))
                == sha)
        #expect(
            f.events.contains(
                .finished(
                    file: "model.safetensors", bytes: Int64(try f.bytes("model.safetensors").count),
                    sha256: sha, verified: true)))
        #expect(
            ModelManifest.read(folder: folder)?.files.first { $0.name == "model.safetensors" }?
                .sha256 == sha)
        #expect(
            f.server.requests.contains {
                $0.method == "HEAD"
                    && $0.path == "/test/tiny/resolve/refs%2Fpr%2F1/model.safetensors"
            })
        #expect(f.server.requests.allSatisfy { $0.headers["accept-encoding"] == "identity" })
        // HEAD stops at the hub's redirect (a CDN URL may be signed for GET only); GET follows it.
        #expect(!f.server.requests.contains { $0.method == "HEAD" && $0.path.hasPrefix("/cdn/") })
        #expect(
            f.server.requests.contains { $0.method == "GET" && $0.path == "/cdn/model.safetensors" }
        )
        #expect(!FileManager.default.fileExists(atPath: folder + ".partial"))
        #expect(f.library.installedModels().map(\.name) == ["tiny-remote"])
    }

    @Test("an interrupted transfer resumes with a Range request and ends with the right file")
    func resumes() throws {
        let f = try Fixture(
            .init(linkedEtag: ["model.safetensors"], cutAfter: ["model.safetensors": 300_000]))
        let folder = try f.fetch(Self.entry(weights: Self.safetensors))
        let gets = f.server.requests.filter {
            $0.method == "GET" && $0.path.hasSuffix("/model.safetensors")
        }
        #expect(gets.count == 2)
        #expect(gets.first?.headers["range"] == nil)
        #expect(gets.last?.headers["range"] == "bytes=300000-")
        #expect(
            sha256Hex(
                [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/model.safetensors"))))
                == sha256Hex(try f.bytes("model.safetensors")))
        #expect(
            f.events.contains {
                if case .retrying(_, 300_000, _) = $0 { return true } else { return false }
            })
    }

    @Test("a corrupted download is rejected by SHA-256 and nothing is installed")
    func corrupted() throws {
        let f = try Fixture(
            .init(linkedEtag: ["model.safetensors"], corrupt: ["model.safetensors"]))
        var good = try f.bytes("model.safetensors")
        let expected = sha256Hex(good)
        good[good.count / 2] ^= 0xFF
        let found = sha256Hex(good)
        #expect(
            throws: ModelHubError.checksumMismatch(
                file: "model.safetensors", expected: expected, found: found)
        ) {
            try f.fetch(Self.entry(weights: Self.safetensors))
        }
        let folder = f.library.folder(for: "tiny-remote")
        #expect(!FileManager.default.fileExists(atPath: folder))
        #expect(!FileManager.default.fileExists(atPath: folder + ".partial/model.safetensors.part"))
        #expect(!FileManager.default.fileExists(atPath: folder + ".partial/model.safetensors"))
        #expect(f.library.installedModels().isEmpty)
        #expect(throws: ModelHubError.noModel(f.library.noModelText())) {
            try f.library.resolve(explicit: nil)
        }
    }

    @Test("a missing file gives a clear 404 error naming the URL")
    func notFound() throws {
        let f = try Fixture(.init())
        let entry = Self.entry(weights: Self.safetensors, extra: [.init("vocab.txt")])
        let url = f.server.endpoint + "/test/tiny/resolve/main/vocab.txt"
        do {
            _ = try f.fetch(entry)
            Issue.record("404 not reported")
        } catch let error as ModelHubError {
            #expect(error == .httpStatus(url: url, status: 404))
            #expect(error.description.contains("http 404 not found"))
            #expect(error.description.contains(url))
        }
        #expect(!FileManager.default.fileExists(atPath: f.library.folder(for: "tiny-remote")))
    }

    @Test("a second fetch of the same model while one runs is refused")
    func locked() throws {
        let f = try Fixture(.init())
        let partial = f.library.folder(for: "tiny-remote") + ".partial"
        try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        let fd = open(partial + "/.lock", O_RDWR | O_CREAT, 0o644)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        do {
            _ = try f.fetch(Self.entry(weights: Self.safetensors))
            Issue.record("concurrent fetch allowed")
        } catch let error as ModelHubError {
            #expect(error.description.contains("another picseek is already fetching tiny-remote"))
        }
        #expect(f.server.requests.isEmpty)
    }

    @Test("401 and 403 answers name the status, its meaning and the URL")
    func forbidden() throws {
        for (line, code, meaning) in [
            ("403 Forbidden", 403, "forbidden"), ("401 Unauthorized", 401, "unauthorised"),
        ] {
            let f = try Fixture(.init(status: ["config.json": line]))
            let url = f.server.endpoint + "/test/tiny/resolve/main/config.json"
            do {
                _ = try f.fetch(Self.entry(weights: Self.safetensors))
                Issue.record("\(code) not reported")
            } catch let error as ModelHubError {
                #expect(error == .httpStatus(url: url, status: code))
                #expect(
                    error.description.contains("http \(code) \(meaning)")
                        && error.description.contains(url))
            }
        }
    }

    @Test("a pytorch_model.bin download is converted to safetensors and removed")
    func convertsPickle() throws {
        let f = try Fixture(.init())
        let folder = try f.fetch(
            Self.entry(weights: .init("pytorch_model.bin", kind: .torchPickle)))
        let reference = try readTensors(try fixture("hf/model.safetensors"))
        let got = try readTensors(folder + "/model.safetensors")
        #expect(Set(got.keys) == Set(reference.keys))
        let identical = got.allSatisfy { reference[$0.key]?.2 == $0.value.2 }
        #expect(identical)
        #expect(!FileManager.default.fileExists(atPath: folder + "/pytorch_model.bin"))
    }

    @Test("an unreachable endpoint gives a network error, not a crash")
    func refused() throws {
        let dir = makeTempDir("fetch-refused")
        defer { cleanup(dir) }
        var fetcher = ModelFetcher(library: makeLibrary(dir), endpoint: "http://127.0.0.1:9")
        fetcher.timeout = 5
        do {
            try fetcher.fetch(entry: Self.entry(weights: Self.safetensors))
            Issue.record("no error")
        } catch let error as ModelHubError {
            guard case .network(let url, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(url.hasPrefix("http://127.0.0.1:9/test/tiny/resolve/main/config.json"))
        }
    }

    @Test("URLs follow {endpoint}/{repo}/resolve/{revision}/{file} with the revision escaped")
    func urls() throws {
        let fetcher = ModelFetcher(
            library: makeLibrary("/nonexistent"), endpoint: "https://hf-mirror.example/")
        #expect(
            try fetcher.url(
                repo: "OFA-Sys/chinese-clip-vit-base-patch16", revision: "refs/pr/1",
                file: "model.safetensors"
            )
            .absoluteString
                == "https://hf-mirror.example/OFA-Sys/chinese-clip-vit-base-patch16/resolve/refs%2Fpr%2F1/model.safetensors"
        )
        #expect(
            ModelFetcher.endpoint(
                explicit: nil, environment: ["PICSEEK_HF_ENDPOINT": "https://m.example"])
                == "https://m.example")
        #expect(
            ModelFetcher.endpoint(
                explicit: "https://a.example",
                environment: ["PICSEEK_HF_ENDPOINT": "https://m.example"]) == "https://a.example")
        #expect(ModelFetcher.endpoint(explicit: nil, environment: [:]) == "https://huggingface.co")
        #expect(throws: ModelHubError.self) {
            try ModelFetcher(library: makeLibrary("/x"), endpoint: "ftp://x").url(
                repo: "a/b", revision: "main", file: "f")
        }
    }
}
