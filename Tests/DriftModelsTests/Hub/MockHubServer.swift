import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A Hugging Face Hub on a random loopback port, serving the repository of `Fixtures/hub/repo.json` the way
/// huggingface.co does: `GET /api/models/{id}/revision/{rev}` (sha, siblings); `HEAD`/`GET /{id}/resolve/{rev}/{file}`
/// with `ETag` (git blob sha1), `X-Repo-Commit`, `Content-Length`; for LFS files a `302` to a CDN on another origin
/// (`localhost` instead of `127.0.0.1`) with `X-Linked-Etag` (sha256) and `X-Linked-Size`; the CDN honours
/// `Range: bytes=N-` with `206` and `Content-Range`; errors carry `X-Error-Code` (RepoNotFound, RevisionNotFound,
/// EntryNotFound, GatedRepo) as the Hub sends them.
///
/// Transient failures are scripted per request (``script``): a status with headers (429 with `Retry-After`, 503…) or
/// a connection closed without an answer, then the normal answer.
///
/// One connection per request (`Connection: close`), each served on its own thread; every request is recorded.
final class MockHubServer: @unchecked Sendable {
    // Safe to share: the mutable state below is read and written only while holding `lock`.
    private let lock = NSLock()

    /// Who may read the repository.
    enum Access: Sendable {
        case open
        /// Needs `Authorization: Bearer <token>`: 401 RepoNotFound without it (as the Hub hides private repos).
        case `private`(token: String)
        /// Gated: 401 GatedRepo without a token, 403 GatedRepo with a token that has not accepted the licence.
        case gated(token: String)
    }

    /// A scripted answer, used instead of the normal one.
    enum Scripted: Sendable, Equatable {
        /// The normal answer (to script a failure after it).
        case serve
        /// This status with these headers and an empty body.
        case status(Int, [String: String])
        /// The connection closed without an answer.
        case drop
    }

    /// One recorded request.
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
    }

    struct File: Sendable {
        var name: String
        var data: Data
        var sha256: String
        var gitSHA1: String
        var lfs: Bool
    }

    let repository: String
    let commit: String
    let revisions: [String: String]
    let files: [File]
    private(set) var port: UInt16 = 0
    private var socketDescriptor: Int32 = -1

    private var _access: Access = .open
    private var _cutAfter: [String: Int] = [:]
    private var _corrupt: Set<String> = []
    private var _script: [String: [Scripted]] = [:]
    private var _requests: [Request] = []

    var access: Access {
        get { lock.withLock { _access } }
        set { lock.withLock { _access = newValue } }
    }
    /// File name → body bytes after which the next GET of it is cut (the connection closed); used once.
    var cutAfter: [String: Int] {
        get { lock.withLock { _cutAfter } }
        set { lock.withLock { _cutAfter = newValue } }
    }
    /// Files whose bytes are served wrong (every byte inverted; same length).
    var corrupt: Set<String> {
        get { lock.withLock { _corrupt } }
        set { lock.withLock { _corrupt = newValue } }
    }
    /// Answers to play, in order, before the normal one, by request: `listing` (the revision API),
    /// `HEAD <file>`, `GET <file>` (for an LFS file, its GET on the CDN).
    var script: [String: [Scripted]] {
        get { lock.withLock { _script } }
        set { lock.withLock { _script = newValue } }
    }
    var requests: [Request] { lock.withLock { _requests } }

    /// The recorded requests of one ``script`` key.
    func requests(_ key: String) -> [Request] { requests.filter { key == scriptKey(of: $0) } }

    /// The ``script`` key of a request, or nil for an unknown path.
    func scriptKey(of request: Request) -> String? {
        let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.path
        if path.hasPrefix("/api/models/\(repository)/revision/") { return "listing" }
        if path.hasPrefix("/cdn/") {
            let sha = String(path.dropFirst(5))
            return files.first { $0.sha256 == sha }.map { "\(request.method) \($0.name)" }
        }
        let resolve = "/\(repository)/resolve/"
        guard path.hasPrefix(resolve) else { return nil }
        let rest = path.dropFirst(resolve.count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let name = String(rest[rest.index(after: slash)...]).removingPercentEncoding ?? ""
        return "\(request.method) \(name)"
    }

    /// The endpoint, `http://127.0.0.1:<port>`.
    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// The `Fixtures/hub` folder in the source tree (symlinks intact).
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/hub")
    }

    /// Starts serving `Fixtures/hub/repo.json`'s repository.
    init() throws {
        let manifestURL = Self.fixtures.appendingPathComponent("repo.json")
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any])
        repository = try #require(manifest["repository"] as? String)
        commit = try #require(manifest["commit"] as? String)
        revisions = try #require(manifest["revisions"] as? [String: String])
        let entries = try #require(manifest["files"] as? [[String: Any]])
        let root = Self.fixtures.deletingLastPathComponent()
        files = try entries.map { entry in
            let source = try #require(entry["source"] as? String)
            return File(
                name: try #require(entry["name"] as? String),
                data: try Data(contentsOf: root.appendingPathComponent(source)),
                sha256: try #require(entry["sha256"] as? String), gitSHA1: try #require(entry["git_sha1"] as? String),
                lfs: try #require(entry["lfs"] as? Bool))
        }
        try start()
    }

    deinit { stop() }

    /// Closes the listening socket (later connections are refused).
    func stop() {
        let descriptor = lock.withLock { () -> Int32 in
            let descriptor = socketDescriptor
            socketDescriptor = -1
            return descriptor
        }
        if descriptor >= 0 {
            shutdown(descriptor, Int32(SHUT_RDWR))
            close(descriptor)
        }
    }

    func file(_ name: String) -> File? { files.first { $0.name == name } }

    private func start() throws {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw MockError("socket failed") }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw MockError("bind/listen failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        socketDescriptor = descriptor
        let thread = Thread { [weak self] in
            while true {
                let client = accept(descriptor, nil, nil)
                guard client >= 0 else { return }
                guard let self else {
                    close(client)
                    return
                }
                Thread.detachNewThread { self.serve(client) }
            }
        }
        thread.start()
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        var head = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.contains(Data("\r\n\r\n".utf8)) {
            let count = recv(client, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            head.append(contentsOf: buffer[0..<count])
            if head.count > 1 << 16 { return }
        }
        let text = String(decoding: head, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let request = Request(method: String(parts[0]), path: String(parts[1]), headers: headers)
        lock.withLock { _requests.append(request) }
        respond(to: request, on: client)
    }

    private func respond(to request: Request, on client: Int32) {
        let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.path
        let isHead = request.method == "HEAD"
        func send(_ status: Int, _ headers: [String: String], _ body: Data = Data(), cutAt: Int? = nil) {
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            var all = headers
            all["Content-Length"] = all["Content-Length"] ?? String(body.count)
            all["Connection"] = "close"
            for (key, value) in all.sorted(by: { $0.key < $1.key }) { head += "\(key): \(value)\r\n" }
            head += "\r\n"
            var out = Data(head.utf8)
            if !isHead { out.append(cutAt.map { body.prefix($0) } ?? body) }
            out.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    guard let base = raw.baseAddress else { return }
                    let sent = Self.write(client, base + offset, raw.count - offset)
                    if sent <= 0 { return }
                    offset += sent
                }
            }
        }
        if let key = scriptKey(of: request) {
            let step = lock.withLock { () -> Scripted? in
                guard var steps = _script[key], !steps.isEmpty else { return nil }
                let step = steps.removeFirst()
                _script[key] = steps
                return step
            }
            switch step {
            case .status(let status, let headers)?:
                return send(status, headers)
            case .drop?:
                return
            case .serve?, nil:
                break
            }
        }
        // The CDN: no authorization needed; Range honoured.
        if path.hasPrefix("/cdn/") {
            let sha = String(path.dropFirst(5))
            guard let file = files.first(where: { $0.sha256 == sha }) else { return send(404, [:]) }
            return sendBody(file, request: request, extra: ["ETag": "\"\(sha)\""], send: send)
        }
        // Access control, as the Hub answers it.
        let authorization = request.headers["authorization"]
        switch access {
        case .open:
            break
        case .private(let token):
            if authorization != "Bearer \(token)" {
                return send(401, ["X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"])
            }
        case .gated(let token):
            if authorization == nil {
                return send(401, ["X-Error-Code": "GatedRepo", "X-Error-Message": "Access to model is restricted."])
            }
            if authorization != "Bearer \(token)" {
                return send(403, ["X-Error-Code": "GatedRepo", "X-Error-Message": "You must accept the conditions."])
            }
        }
        let listing = "/api/models/\(repository)/revision/"
        if path.hasPrefix(listing) {
            let revision = String(path.dropFirst(listing.count)).removingPercentEncoding ?? ""
            guard let sha = revisions[revision] ?? (revision == commit ? commit : nil) else {
                return send(404, ["X-Error-Code": "RevisionNotFound"])
            }
            let body: [String: Any] = [
                "id": repository, "sha": sha, "siblings": files.map { ["rfilename": $0.name] },
            ]
            let data = (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
            return send(200, ["Content-Type": "application/json"], data)
        }
        let resolve = "/\(repository)/resolve/"
        guard path.hasPrefix(resolve) else {
            return send(404, ["X-Error-Code": "RepoNotFound", "X-Error-Message": "Repository not found"])
        }
        let rest = String(path.dropFirst(resolve.count))
        guard let slash = rest.firstIndex(of: "/") else { return send(404, ["X-Error-Code": "EntryNotFound"]) }
        let revision = String(rest[..<slash]).removingPercentEncoding ?? ""
        let name = String(rest[rest.index(after: slash)...]).removingPercentEncoding ?? ""
        guard let sha = revisions[revision] ?? (revision == commit ? commit : nil) else {
            return send(404, ["X-Error-Code": "RevisionNotFound"])
        }
        guard let file = file(name) else {
            return send(404, ["X-Error-Code": "EntryNotFound", "X-Repo-Commit": sha])
        }
        if file.lfs {
            return send(
                302,
                [
                    "Location": "http://localhost:\(port)/cdn/\(file.sha256)?X-Amz-Signature=mock",
                    "X-Repo-Commit": sha, "X-Linked-Etag": "\"\(file.sha256)\"",
                    "X-Linked-Size": String(file.data.count),
                    "ETag": "\"\(file.gitSHA1)\"",
                ])
        }
        sendBody(
            file, request: request,
            extra: ["ETag": "\"\(file.gitSHA1)\"", "X-Repo-Commit": sha, "Content-Type": "application/json"],
            send: send)
    }

    private func sendBody(
        _ file: File, request: Request, extra: [String: String],
        send: (Int, [String: String], Data, Int?) -> Void
    ) {
        var data = file.data
        if corrupt.contains(file.name) { data = Data(data.map { ~$0 }) }
        var cut: Int?
        if request.method == "GET" {
            cut = lock.withLock { _cutAfter.removeValue(forKey: file.name) }
        }
        var headers = extra
        headers["Accept-Ranges"] = "bytes"
        if let range = request.headers["range"], range.hasPrefix("bytes="), range.hasSuffix("-"),
            let start = Int(range.dropFirst(6).dropLast())
        {
            guard start < data.count else {
                headers["Content-Range"] = "bytes */\(data.count)"
                return send(416, headers, Data(), nil)
            }
            headers["Content-Range"] = "bytes \(start)-\(data.count - 1)/\(data.count)"
            let body = data.subdata(in: start..<data.count)
            headers["Content-Length"] = String(body.count)
            return send(206, headers, body, cut)
        }
        headers["Content-Length"] = String(data.count)
        send(200, headers, data, cut)
    }

    private static func write(_ client: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            return Glibc.send(client, bytes, count, Int32(MSG_NOSIGNAL))
        #else
            return Darwin.send(client, bytes, count, 0)
        #endif
    }

    private static func reason(_ status: Int) -> String {
        [
            200: "OK", 206: "Partial Content", 302: "Found", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
            408: "Request Timeout", 416: "Range Not Satisfiable", 429: "Too Many Requests",
            500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
            504: "Gateway Timeout",
        ][status] ?? "Status"
    }
}

struct MockError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
