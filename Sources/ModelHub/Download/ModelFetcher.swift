import Foundation
import ModelFiles
import PicseekCore

/// `picseek model fetch`: downloads a registry model from a Hugging Face endpoint into
/// `NAME.partial`, verifies every file, converts pickles to safetensors, and renames the
/// folder to `NAME` only when all of it is complete.
///
/// Each file is downloaded into `FILE.part`, resumed with `Range` requests (also
/// automatically after an interruption, up to `maxAttempts`), checked against the expected
/// size (`X-Linked-Size`, `Content-Length` or `Content-Range`) and SHA-256 (the registry's,
/// else the hub's `X-Linked-Etag` when it is one), fsynced and renamed to `FILE`.
public struct ModelFetcher {
    public var library: ModelLibrary
    /// The hub's base URL, e.g. "https://huggingface.co" or a mirror.
    public var endpoint: String
    /// Attempts per file (the first request plus resumes after interruptions).
    public var maxAttempts = 4
    /// Idle timeout of each request, seconds.
    public var timeout: TimeInterval = 60
    /// Receives progress events.
    public var onEvent: (FetchEvent) -> Void

    /// The default endpoint.
    public static let defaultEndpoint = "https://huggingface.co"

    /// The endpoint from `--endpoint`, else `PICSEEK_HF_ENDPOINT`, else the default.
    public static func endpoint(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    )
        -> String
    {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["PICSEEK_HF_ENDPOINT"], !env.isEmpty { return env }
        return defaultEndpoint
    }

    public init(
        library: ModelLibrary, endpoint: String, onEvent: @escaping (FetchEvent) -> Void = { _ in }
    ) {
        self.library = library
        self.endpoint = endpoint
        self.onEvent = onEvent
    }

    /// The download URL of one file: `{endpoint}/{repo}/resolve/{revision}/{file}`.
    public func url(repo: String, revision: String, file: String) throws -> URL {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let rev = revision.addingPercentEncoding(withAllowedCharacters: allowed) ?? revision
        let path = file.split(separator: "/").map {
            String($0).addingPercentEncoding(withAllowedCharacters: allowed) ?? String($0)
        }.joined(separator: "/")
        guard let url = URL(string: "\(base)/\(repo)/resolve/\(rev)/\(path)"),
            let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http"
        else {
            throw ModelHubError.network(url: base, reason: "not an http(s) endpoint URL")
        }
        return url
    }

    /// Downloads, verifies and installs the registry model `name`; returns its folder.
    @discardableResult
    public func fetch(name: String) throws -> String {
        guard let entry = ModelRegistry.entry(named: name) else {
            throw ModelHubError.unknownModel(name)
        }
        return try fetch(entry: entry)
    }

    /// Downloads, verifies and installs the model `entry` describes; returns its folder.
    @discardableResult
    public func fetch(entry: ModelEntry) throws -> String {
        try ModelLibrary.validate(name: entry.name)
        guard case .huggingFace(let repo) = entry.source else {
            throw ModelHubError.notFetchable(name: entry.name, reason: "it is not hosted on a hub")
        }
        let fm = FileManager.default
        let destination = library.folder(for: entry.name)
        if fm.fileExists(atPath: destination) {
            throw ModelHubError.alreadyInstalled(name: entry.name, path: destination)
        }
        let partial = destination + ".partial"
        do {
            try fm.createDirectory(atPath: partial, withIntermediateDirectories: true)
        } catch {
            throw ModelHubError.io(
                path: partial, reason: "cannot create folder: \(error.localizedDescription)")
        }
        // One fetch per model at a time: two writers appending to one .part would corrupt it.
        let lock = open(partial + "/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else {
            throw ModelHubError.io(path: partial + "/.lock", reason: errnoText(errno))
        }
        defer { close(lock) }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            throw ModelHubError.io(
                path: partial, reason: "another picseek is already fetching \(entry.name)")
        }
        var files: [ModelManifest.File] = []
        var notes: [String] = []
        for file in entry.files {
            let target = partial + "/" + file.name
            if file.kind == .torchPickle, fm.fileExists(atPath: partial + "/model.safetensors") {
                onEvent(.reused(file: "model.safetensors"))
                notes.append("\(file.name) converted to model.safetensors in an earlier run")
                continue
            }
            if fm.fileExists(atPath: target) {
                onEvent(.reused(file: file.name))
                let (bytes, sha) = try FileHasher.sha256(path: target)
                files.append(.init(name: file.name, bytes: bytes, sha256: sha))
                if file.kind != .torchPickle { continue }
            } else {
                let url = try url(repo: repo, revision: file.revision, file: file.name)
                let done = try download(
                    url: url, to: target, displayName: file.name, expectedSHA: file.sha256)
                files.append(done.file)
                if !done.verified {
                    notes.append("\(file.name): size checked, no sha-256 published to compare")
                }
            }
            if file.kind == .torchPickle {
                onEvent(.converting(file: file.name))
                let result = try CheckpointConverter.convert(
                    checkpoint: target, to: partial + "/model.safetensors")
                notes.append(
                    "\(file.name): \(result.layout.rawValue) layout, converted to model.safetensors"
                )
                try? fm.removeItem(atPath: target)
            }
        }
        let weights = partial + "/model.safetensors"
        _ = try ModelHubError.mappingFileErrors { try SafetensorsHeader.read(path: weights) }
        if !files.contains(where: { $0.name == "model.safetensors" }) {
            let size =
                (try? fm.attributesOfItem(atPath: weights)[.size] as? NSNumber)?.int64Value ?? 0
            files.append(.init(name: "model.safetensors", bytes: size, sha256: nil))
        }
        let manifest = ModelManifest(
            name: entry.name, family: entry.family, source: "huggingface:\(repo) via \(endpoint)",
            licence: entry.licence, files: files, notes: notes)
        try manifest.write(folder: partial)
        unlink(partial + "/.lock")
        guard rename(partial, destination) == 0 else {
            throw ModelHubError.io(path: destination, reason: errnoText(errno))
        }
        syncDirectory(of: destination)
        return destination
    }

    /// Downloads one URL into `target` (via `target.part`), verified.
    func download(url: URL, to target: String, displayName: String, expectedSHA: String?) throws
        -> (file: ModelManifest.File, verified: Bool)
    {
        let urlText = url.absoluteString
        let head = try HTTPTransfer.run(
            url: url, method: "HEAD", timeout: timeout, crossHostRedirects: false
        ) { r in
            guard (200..<400).contains(r.status) else {
                throw ModelHubError.httpStatus(url: urlText, status: r.status)
            }
        }
        var expectedSize: Int64? =
            head.linkedSize ?? ((200..<300).contains(head.status) ? head.contentLength : nil)
        var linkedEtag = head.linkedEtag
        let part = target + ".part"
        var attempt = 0
        while true {
            attempt += 1
            var existing = FileHasher.size(path: part) ?? 0
            if let expectedSize, existing > expectedSize {
                unlink(part)
                existing = 0
            }
            if expectedSize == nil || existing < expectedSize ?? 0 {
                onEvent(
                    .started(
                        file: displayName, url: urlText, total: expectedSize, resumeFrom: existing))
                let out = try OutputFile(finalPath: target, tempPath: part, append: existing > 0)
                var received = existing
                let requested = existing
                var headers: [String: String] = [:]
                if requested > 0 { headers["Range"] = "bytes=\(requested)-" }
                var lastReport = Date.distantPast
                do {
                    let r = try HTTPTransfer.run(
                        url: url, method: "GET", headers: headers, timeout: timeout,
                        onResponse: { r in
                            if r.status == 206 {
                                guard r.contentRangeStart == requested else {
                                    throw ModelHubError.badCheckpoint(
                                        file: displayName,
                                        reason: "server resumed at the wrong offset")
                                }
                            } else if r.status == 200 {
                                if requested > 0 {
                                    // The server ignored Range: start the file again.
                                    guard ftruncate(out.rawDescriptor, 0) == 0 else {
                                        throw OutputFile.error(part, errno)
                                    }
                                    received = 0
                                    out.resetCount()
                                }
                            } else {
                                throw ModelHubError.httpStatus(url: urlText, status: r.status)
                            }
                        },
                        onData: { bytes in
                            try out.write(bytes)
                            received += Int64(bytes.count)
                            let now = Date()
                            if now.timeIntervalSince(lastReport) >= 0.1 {
                                lastReport = now
                                onEvent(
                                    .progress(
                                        file: displayName, received: received, total: expectedSize))
                            }
                        })
                    if linkedEtag == nil { linkedEtag = r.linkedEtag }
                    if expectedSize == nil {
                        expectedSize =
                            r.linkedSize ?? r.contentRangeTotal
                            ?? (r.status == 200 ? r.contentLength : nil)
                    }
                    try out.closeKeeping()
                    onEvent(.progress(file: displayName, received: received, total: expectedSize))
                } catch let interrupted as HTTPTransfer.Interrupted {
                    try out.closeKeeping()
                    let have = FileHasher.size(path: part) ?? 0
                    guard attempt < maxAttempts else {
                        throw ModelHubError.truncated(
                            file: displayName, received: have, expected: expectedSize ?? -1)
                    }
                    onEvent(
                        .retrying(file: displayName, received: have, reason: interrupted.reason))
                    continue
                } catch ModelHubError.network(_, let reason) where received > requested {
                    // Any transport error after some bytes arrived: resume from what we have.
                    try out.closeKeeping()
                    let have = FileHasher.size(path: part) ?? 0
                    guard attempt < maxAttempts else {
                        throw ModelHubError.truncated(
                            file: displayName, received: have, expected: expectedSize ?? -1)
                    }
                    onEvent(.retrying(file: displayName, received: have, reason: reason))
                    continue
                } catch {
                    try? out.closeKeeping()
                    throw error
                }
            }
            let have = FileHasher.size(path: part) ?? 0
            if let expectedSize, have < expectedSize {
                guard attempt < maxAttempts else {
                    throw ModelHubError.truncated(
                        file: displayName, received: have, expected: expectedSize)
                }
                onEvent(
                    .retrying(file: displayName, received: have, reason: "transfer ended early"))
                continue
            }
            if let expectedSize, have != expectedSize {
                unlink(part)
                throw ModelHubError.sizeMismatch(
                    file: displayName, expected: expectedSize, found: have)
            }
            break
        }
        onEvent(.verifying(file: displayName))
        let (bytes, sha) = try FileHasher.sha256(path: part)
        let expected = (expectedSHA ?? linkedEtag.flatMap { SHA256.isHexDigest($0) ? $0 : nil })?
            .lowercased()
        if let expected, expected != sha {
            unlink(part)
            throw ModelHubError.checksumMismatch(file: displayName, expected: expected, found: sha)
        }
        guard rename(part, target) == 0 else {
            throw ModelHubError.io(path: target, reason: errnoText(errno))
        }
        syncDirectory(of: target)
        onEvent(.finished(file: displayName, bytes: bytes, sha256: sha, verified: expected != nil))
        return (.init(name: displayName, bytes: bytes, sha256: sha), expected != nil)
    }
}
