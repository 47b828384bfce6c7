import Dispatch
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP exchange, run synchronously on URLSession (FoundationNetworking on Linux) without following redirects:
/// the caller decides which redirects to follow, and with which headers (the token never leaves the Hub's origin).
struct HubHTTPClient: Sendable {
    /// A response: status, headers (names lowercased), the URL asked and the body when it was collected.
    struct Response: Sendable {
        var status: Int
        var headers: [String: String]
        var url: URL
        var body: Data

        /// The header `name` (any case).
        func header(_ name: String) -> String? { headers[name.lowercased()] }

        /// The `Location` header resolved against the request URL, for 3xx responses.
        var redirectTarget: URL? {
            guard (300..<400).contains(status), let location = header("Location") else { return nil }
            return URL(string: location, relativeTo: url)?.absoluteURL
        }
    }

    /// The request could not be completed: no connection, a timeout, or the connection was cut.
    ///
    /// `bytesReceived` counts body bytes already handed to the sink; `attempts` how many times the request was sent
    /// before giving up (set by the retrying caller); `connected` is false when no connection could be made at all
    /// (host not found, connection refused, no network).
    struct TransportFailure: Error, Sendable, CustomStringConvertible {
        var reason: String
        var bytesReceived: Int64
        var attempts = 1
        var connected = true
        var description: String { attempts > 1 ? "\(reason) (\(attempts) attempts)" : reason }
    }

    /// Seconds without any data before a request fails.
    var timeout: TimeInterval

    /// Sends `request`; the body goes to `sink` when `accept(response)` returns true, else it is collected into
    /// ``Response/body`` (at most `maximumCollected` bytes, the rest dropped).
    ///
    /// - Throws: ``TransportFailure`` when no complete response arrived; whatever `accept` or `sink` throw.
    func send(
        _ request: URLRequest, maximumCollected: Int = 64 << 20,
        accept: @escaping (Response) throws -> Bool = { _ in false },
        sink: @escaping (Data) throws -> Void = { _ in }
    ) throws -> Response {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpShouldSetCookies = false
        let transfer = Transfer(maximumCollected: maximumCollected, accept: accept, sink: sink)
        let session = URLSession(configuration: configuration, delegate: transfer, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        transfer.task = task
        task.resume()
        return try transfer.wait()
    }
}

/// The delegate of one request: records the response, streams the body, and wakes the waiting caller at the end.
private final class Transfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // Safe to share: every mutable property is read and written only while holding `lock`; URLSession calls the
    // delegate methods one at a time, and the caller reads the results only after `done` is signalled.
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private let maximumCollected: Int
    private let accept: (HubHTTPClient.Response) throws -> Bool
    private let sink: (Data) throws -> Void
    private var response: HubHTTPClient.Response?
    private var streaming = false
    private var received: Int64 = 0
    private var failure: (any Error)?
    private var transportError: String?
    private var connected = true
    var task: URLSessionTask?

    init(
        maximumCollected: Int, accept: @escaping (HubHTTPClient.Response) throws -> Bool,
        sink: @escaping (Data) throws -> Void
    ) {
        self.maximumCollected = maximumCollected
        self.accept = accept
        self.sink = sink
    }

    func wait() throws -> HubHTTPClient.Response {
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        if let transportError {
            throw HubHTTPClient.TransportFailure(reason: transportError, bytesReceived: received, connected: connected)
        }
        guard let response else {
            throw HubHTTPClient.TransportFailure(reason: "no response", bytesReceived: received)
        }
        return response
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        guard let http = response as? HTTPURLResponse else {
            completionHandler(.cancel)
            return
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        let url = dataTask.originalRequest?.url ?? http.url ?? URL(fileURLWithPath: "/")
        let recorded = HubHTTPClient.Response(status: http.statusCode, headers: headers, url: url, body: Data())
        lock.lock()
        defer { lock.unlock() }
        self.response = recorded
        do {
            streaming = try accept(recorded)
            completionHandler(.allow)
        } catch {
            failure = error
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        lock.lock()
        defer { lock.unlock() }
        guard failure == nil else { return }
        if streaming {
            do {
                try sink(data)
                received += Int64(data.count)
            } catch {
                failure = error
                dataTask.cancel()
            }
        } else if let count = response?.body.count, count < maximumCollected {
            response?.body.append(data.prefix(maximumCollected - count))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        lock.lock()
        if let error, failure == nil {
            let error = error as NSError
            transportError = error.localizedDescription
            let unconnected = [
                NSURLErrorCannotFindHost, NSURLErrorCannotConnectToHost, NSURLErrorDNSLookupFailed,
                NSURLErrorNotConnectedToInternet,
            ]
            connected = !(error.domain == NSURLErrorDomain && unconnected.contains(error.code))
        }
        lock.unlock()
        done.signal()
    }
}
