import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP request through URLSession (FoundationNetworking, libcurl underneath on
/// Linux), run synchronously, with the body streamed to a callback as it arrives.
///
/// Redirects are followed; the `X-Linked-Etag` / `X-Linked-Size` headers the Hugging Face
/// hub puts on its redirect responses are collected from every response in the chain,
/// and a `Range` header is carried over to the redirected request.
final class HTTPTransfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// What the server said.
    struct Response {
        var status: Int
        /// Final response headers, names lowercased.
        var headers: [String: String]
        /// `X-Linked-Etag` from any response in the redirect chain, quotes stripped.
        var linkedEtag: String?
        /// `X-Linked-Size` from any response in the redirect chain.
        var linkedSize: Int64?

        /// Total size from `Content-Range: bytes a-b/total`, if present.
        var contentRangeTotal: Int64? {
            guard let v = headers["content-range"], let slash = v.lastIndex(of: "/") else {
                return nil
            }
            return Int64(v[v.index(after: slash)...].trimmingCharacters(in: .whitespaces))
        }

        /// First byte position from `Content-Range`, if present.
        var contentRangeStart: Int64? {
            guard let v = headers["content-range"], let space = v.firstIndex(of: " "),
                let dash = v.firstIndex(of: "-")
            else { return nil }
            return Int64(v[v.index(after: space)..<dash])
        }

        var contentLength: Int64? { headers["content-length"].flatMap { Int64($0) } }
    }

    private let request: URLRequest
    private let crossHostRedirects: Bool
    private let onResponse: (Response) throws -> Void
    private let onData: (UnsafeRawBufferPointer) throws -> Void
    private let done = DispatchSemaphore(value: 0)
    private var response: Response?
    private var linkedEtag: String?
    private var linkedSize: Int64?
    private var failure: Error?

    private init(
        request: URLRequest, crossHostRedirects: Bool,
        onResponse: @escaping (Response) throws -> Void,
        onData: @escaping (UnsafeRawBufferPointer) throws -> Void
    ) {
        self.request = request
        self.crossHostRedirects = crossHostRedirects
        self.onResponse = onResponse
        self.onData = onData
    }

    /// Runs `method` on `url`; `onResponse` may throw to stop (e.g. on an error status),
    /// `onData` receives the body. Returns the final response or throws the first error.
    /// Without `crossHostRedirects` a redirect to another host is not followed and the
    /// redirect response itself is returned (a HEAD to the hub must not reach a CDN URL
    /// signed for GET only; the hub's redirect already carries X-Linked-Size/Etag).
    static func run(
        url: URL, method: String, headers: [String: String] = [:], timeout: TimeInterval = 60,
        crossHostRedirects: Bool = true,
        onResponse: @escaping (Response) throws -> Void = { _ in },
        onData: @escaping (UnsafeRawBufferPointer) throws -> Void = { _ in }
    ) throws -> Response {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.timeoutInterval = timeout
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        request.setValue("picseek", forHTTPHeaderField: "User-Agent")
        // No transparent gzip: sizes, ranges and hashes refer to the stored bytes.
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        let transfer = HTTPTransfer(
            request: request, crossHostRedirects: crossHostRedirects, onResponse: onResponse,
            onData: onData)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(
            configuration: configuration, delegate: transfer, delegateQueue: queue)
        session.dataTask(with: request).resume()
        transfer.done.wait()
        session.finishTasksAndInvalidate()
        if let failure = transfer.failure { throw failure }
        guard let response = transfer.response else {
            throw ModelHubError.network(url: url.absoluteString, reason: "no response")
        }
        return response
    }

    private static func lowercased(_ r: HTTPURLResponse) -> [String: String] {
        var h: [String: String] = [:]
        for (k, v) in r.allHeaderFields {
            if let k = k as? String, let v = v as? String { h[k.lowercased()] = v }
        }
        return h
    }

    private func noteLinked(_ h: [String: String]) {
        if linkedEtag == nil, let e = h["x-linked-etag"] {
            linkedEtag = e.replacingOccurrences(of: "W/", with: "").trimmingCharacters(
                in: CharacterSet(charactersIn: "\" "))
        }
        if linkedSize == nil, let s = h["x-linked-size"] {
            linkedSize = Int64(s.trimmingCharacters(in: .whitespaces))
        }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        noteLinked(HTTPTransfer.lowercased(response))
        if !crossHostRedirects, newRequest.url?.host != request.url?.host {
            completionHandler(nil)
            return
        }
        var next = newRequest
        if let range = request.value(forHTTPHeaderField: "Range") {
            next.setValue(range, forHTTPHeaderField: "Range")
        }
        next.httpMethod = request.httpMethod
        completionHandler(next)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        guard let http = response as? HTTPURLResponse else {
            failure = ModelHubError.network(
                url: request.url?.absoluteString ?? "", reason: "not an HTTP response")
            completionHandler(.cancel)
            return
        }
        let headers = HTTPTransfer.lowercased(http)
        noteLinked(headers)
        let r = Response(
            status: http.statusCode, headers: headers, linkedEtag: linkedEtag,
            linkedSize: linkedSize)
        self.response = r
        do {
            try onResponse(r)
            completionHandler(.allow)
        } catch {
            failure = error
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil else { return }
        do {
            try data.withUnsafeBytes { try onData($0) }
        } catch {
            failure = error
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?)
    {
        if failure == nil, let error {
            failure = HTTPTransfer.describe(error, url: request.url?.absoluteString ?? "")
        }
        done.signal()
    }

    /// Marks errors after which a resumed request may succeed.
    struct Interrupted: Error { var reason: String }

    static func describe(_ error: Error, url: String) -> Error {
        guard let u = error as? URLError else {
            return ModelHubError.network(url: url, reason: "\(error.localizedDescription)")
        }
        switch u.code {
        case .networkConnectionLost: return Interrupted(reason: "connection lost")
        case .timedOut: return Interrupted(reason: "timed out")
        case .notConnectedToInternet:
            return ModelHubError.network(url: url, reason: "offline (no network connection)")
        case .cannotFindHost, .dnsLookupFailed:
            return ModelHubError.network(url: url, reason: "host not found (DNS lookup failed)")
        case .cannotConnectToHost:
            return ModelHubError.network(url: url, reason: "connection refused")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot,
            .clientCertificateRejected:
            return ModelHubError.network(url: url, reason: "TLS handshake or certificate failed")
        case .cancelled: return ModelHubError.network(url: url, reason: "cancelled")
        default: return ModelHubError.network(url: url, reason: u.localizedDescription)
        }
    }
}
