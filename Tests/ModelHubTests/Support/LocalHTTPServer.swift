import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for fetch tests: serves the files of a folder under
/// `/{repo}/resolve/{revision}/{file}`, answers HEAD and GET with `Range`, 404 for missing
/// files, and can add `X-Linked-Etag`, redirect like the hub, cut a transfer short, or
/// corrupt the bytes it sends. Every request is recorded.
final class LocalHTTPServer: @unchecked Sendable {
    struct Request: Equatable {
        var method: String
        var path: String
        var headers: [String: String]
    }

    /// Options, set before requests arrive.
    struct Options {
        /// Send `X-Linked-Etag: "<sha256 of the real file>"` for these files.
        var linkedEtag: Set<String> = []
        /// Answer resolve requests with a 302 to `http://HOST:PORT/cdn/...` carrying the
        /// X-Linked headers, like the hub; HOST is this (e.g. "localhost" for another host name).
        var redirectHost: String?
        /// Close the connection after this many body bytes, on the first GET of the file only.
        var cutAfter: [String: Int] = [:]
        /// Flip one byte in the middle of these files in every GET.
        var corrupt: Set<String> = []
        /// Answer requests for these files with this status line, e.g. "403 Forbidden".
        var status: [String: String] = [:]
    }

    let root: String
    var options: Options
    private(set) var port: UInt16 = 0
    private var listener: Int32 = -1
    private let lock = NSLock()
    private var log: [Request] = []
    private var cutDone: Set<String> = []
    private var stopped = false

    init(root: String, options: Options = Options()) throws {
        self.root = root
        self.options = options
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        let thread = Thread { [weak self] in self?.acceptLoop() }
        thread.start()
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    var requests: [Request] {
        lock.lock(); defer { lock.unlock() }
        return log
    }

    /// Stops listening; safe to call twice (the descriptor is closed once, so a number the
    /// kernel hands to a later server is never closed by mistake).
    func stop() {
        lock.lock()
        let fd = listener
        listener = -1
        stopped = true
        lock.unlock()
        guard fd >= 0 else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    deinit { stop() }

    private func acceptLoop() {
        lock.lock()
        let socketFD = listener
        lock.unlock()
        while true {
            let fd = accept(socketFD, nil, nil)
            if fd < 0 {
                lock.lock(); let s = stopped; lock.unlock()
                if s || errno == EBADF || errno == EINVAL { return }
                continue
            }
            let thread = Thread { [weak self] in
                self?.handle(fd)
                close(fd)
            }
            thread.start()
        }
    }

    private func readRequest(_ fd: Int32) -> Request? {
        var data = [UInt8]()
        var byte: UInt8 = 0
        while data.count < 65536 {
            let n = recv(fd, &byte, 1, 0)
            if n <= 0 { return nil }
            data.append(byte)
            if data.count >= 4, data.suffix(4) == [13, 10, 13, 10] { break }
        }
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let first = lines[0].split(separator: " ")
        guard first.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return Request(method: String(first[0]), path: String(first[1]), headers: headers)
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { return }
            offset += n
        }
    }

    private func respond(_ fd: Int32, status: String, headers: [(String, String)], body: [UInt8]) {
        var head = "HTTP/1.1 \(status)\r\n"
        for (k, v) in headers { head += "\(k): \(v)\r\n" }
        head += "Connection: close\r\n\r\n"
        send(fd, Array(head.utf8))
        send(fd, body)
    }

    private func handle(_ fd: Int32) {
        guard let request = readRequest(fd) else { return }
        lock.lock()
        log.append(request)
        let options = self.options
        lock.unlock()
        // /{owner}/{repo}/resolve/{revision}/{file} or /cdn/{file}
        let parts = request.path.split(separator: "/").map(String.init)
        let file: String
        if parts.first == "cdn", parts.count >= 2 {
            file = parts[1...].joined(separator: "/")
        } else if parts.count >= 5, parts[2] == "resolve" {
            file = parts[4...].joined(separator: "/")
            if let host = options.redirectHost {
                var headers = [
                    ("Location", "http://\(host):\(port)/cdn/" + file), ("Content-Length", "0"),
                ]
                headers += linkedHeaders(file, options)
                respond(fd, status: "302 Found", headers: headers, body: [])
                return
            }
        } else {
            respond(fd, status: "404 Not Found", headers: [("Content-Length", "0")], body: [])
            return
        }
        if let forced = options.status[file] {
            respond(fd, status: forced, headers: [("Content-Length", "0")], body: [])
            return
        }
        guard let data = FileManager.default.contents(atPath: root + "/" + file) else {
            respond(
                fd, status: "404 Not Found", headers: [("Content-Length", "9")],
                body: Array("not found".utf8))
            return
        }
        var bytes = [UInt8](data)
        if options.corrupt.contains(file), !bytes.isEmpty { bytes[bytes.count / 2] ^= 0xFF }
        var headers = options.redirectHost != nil ? [] : linkedHeaders(file, options)
        var start = 0
        var status = "200 OK"
        if let range = request.headers["range"], range.hasPrefix("bytes="), range.hasSuffix("-"),
            let from = Int(range.dropFirst(6).dropLast())
        {
            guard from < bytes.count else {
                respond(
                    fd, status: "416 Range Not Satisfiable", headers: [("Content-Length", "0")],
                    body: [])
                return
            }
            start = from
            status = "206 Partial Content"
            headers.append(("Content-Range", "bytes \(from)-\(bytes.count - 1)/\(bytes.count)"))
        }
        headers.append(("Content-Length", "\(bytes.count - start)"))
        headers.append(("Accept-Ranges", "bytes"))
        if request.method == "HEAD" {
            respond(fd, status: status, headers: headers, body: [])
            return
        }
        var body = Array(bytes[start...])
        lock.lock()
        if let cut = options.cutAfter[file], !cutDone.contains(file) {
            cutDone.insert(file)
            body = Array(body.prefix(cut))
        }
        lock.unlock()
        respond(fd, status: status, headers: headers, body: body)
    }

    private func linkedHeaders(_ file: String, _ options: Options) -> [(String, String)] {
        guard options.linkedEtag.contains(file),
            let data = FileManager.default.contents(atPath: root + "/" + file)
        else { return [] }
        return [
            ("X-Linked-Etag", "\"\(sha256Hex([UInt8](data)))\""),
            ("X-Linked-Size", "\(data.count)"),
        ]
    }
}
