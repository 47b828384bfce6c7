import DriftCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DriftExplorer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The explorer's limits on hostile requests (issue 18): every answer is given and the connection closed.
@Suite struct ServerLimitsTests {
    /// What a raw TCP exchange got back.
    struct Exchange {
        /// Everything the server sent.
        var text: String
        /// Whether the server closed the connection (rather than the read timing out).
        var closed: Bool
        /// The status code of the first response, if any.
        var status: Int? {
            guard text.hasPrefix("HTTP/1.1 ") else { return nil }
            return Int(text.dropFirst(9).prefix(3))
        }
    }

    /// A TCP socket connected to the loopback address at `port`: 127.0.0.1, else ::1 (Hummingbird's live tests bind
    /// `localhost`, which a standard Debian /etc/hosts also maps to ::1).
    static func connectedSocket(port: Int) throws -> Int32 {
        #if canImport(Glibc)
            let stream = Int32(SOCK_STREAM.rawValue)
        #else
            let stream = SOCK_STREAM
        #endif
        let v4 = socket(AF_INET, stream, 0)
        guard v4 >= 0 else { throw DriftError(.io, "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(v4, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if connected == 0 { return v4 }
        close(v4)
        let v6 = socket(AF_INET6, stream, 0)
        guard v6 >= 0 else { throw DriftError(.io, "socket() failed") }
        var address6 = sockaddr_in6()
        address6.sin6_family = sa_family_t(AF_INET6)
        address6.sin6_port = in_port_t(UInt16(port).bigEndian)
        address6.sin6_addr = in6addr_loopback
        let connected6 = withUnsafePointer(to: &address6) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(v6, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
        guard connected6 == 0 else {
            close(v6)
            throw DriftError(.io, "connect() failed on 127.0.0.1 and ::1")
        }
        return v6
    }

    /// Sends `chunks` (pausing `pause` seconds between them) to the loopback address at `port`, then reads until the
    /// server closes the connection or `wait` seconds pass without data.
    static func exchange(port: Int, _ chunks: [[UInt8]], pause: Double = 0, wait: Double = 5) throws -> Exchange {
        let fd = try connectedSocket(port: port)
        defer { close(fd) }
        var timeout = timeval()
        timeout.tv_sec = .init(Int(wait))
        timeout.tv_usec = .init(Int((wait - Double(Int(wait))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var noSignal: Int32 = 1
        #if canImport(Darwin)
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &noSignal, socklen_t(MemoryLayout<Int32>.size))
        #endif
        _ = noSignal
        for (index, chunk) in chunks.enumerated() {
            if index > 0 && pause > 0 { usleep(useconds_t(pause * 1e6)) }
            var offset = 0
            while offset < chunk.count {
                let sent = chunk[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if sent <= 0 { break }  // the server closed its side: stop sending, read what it said
                offset += sent
            }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received += buffer[0..<n]
            } else {
                // 0: orderly close; < 0: timeout (EAGAIN) or reset (ECONNRESET counts as closed).
                let closed = n == 0 || errno == ECONNRESET
                return Exchange(text: String(decoding: received, as: UTF8.self), closed: closed)
            }
        }
    }

    /// ``exchange(port:_:pause:wait:)`` on a thread of its own: its blocking reads must not hold one of the few
    /// threads the server's async handlers run on.
    static func exchanged(port: Int, _ chunks: [[UInt8]], pause: Double = 0, wait: Double = 5) async throws
        -> Exchange
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try exchange(port: port, chunks, pause: pause, wait: wait) })
            }.start()
        }
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Runs `body` with the port of a live explorer (short timeouts: read 2 s, idle 2 s, unless given).
    static func withServer(
        read: Int64 = 2, idle: Int64 = 2, _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        let app = try ExplorerServerTests.server().application(readTimeoutSeconds: read, idleTimeoutSeconds: idle)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body(port)
        }
    }

    @Test func hugeChunkSizeIsAnsweredAndClosed() async throws {
        // FFFFFFFFFFFFFFFF is 2^64 - 1, a chunk size NIO's HTTP parser accepts (the body would simply never end):
        // ChunkSizeGuard reads it in front of the parser and the request is answered 413 at once and closed, not
        // after the read timeout (20 s here, far from the few seconds even a loaded machine takes).
        try await Self.withServer(read: 20, idle: 20) { port in
            let head = "POST /api/embed HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            var start = Date()
            var reply = try await Self.exchanged(port: port, [Self.bytes(head + "FFFFFFFFFFFFFFFF\r\nab")], wait: 30)
            #expect(reply.status == 413, "\(reply.text.prefix(300).debugDescription)")
            #expect(reply.text.contains("0xFFFFFFFFFFFFFFFF"), "\(reply.text.prefix(300).debugDescription)")
            #expect(reply.closed)
            #expect(Date().timeIntervalSince(start) < 10)
            // The size line in pieces, after the head: the router has answered the head by then (404: live mode is
            // off), and the connection is closed as soon as the size is complete.
            start = Date()
            let pieces = [head + "FFFF", "FFFFFFFFFFFF\r\n", "ab"].map(Self.bytes)
            reply = try await Self.exchanged(port: port, pieces, pause: 0.2, wait: 30)
            #expect(reply.status == 404 || reply.status == 413, "\(reply.text.prefix(300).debugDescription)")
            #expect(reply.closed)
            #expect(Date().timeIntervalSince(start) < 10)
            // A chunk size too long for 64 bits is over the limit too (413); one that is not hexadecimal is malformed
            // (400, from the parser). Both closed.
            for (size, status) in [("1FFFFFFFFFFFFFFFF", 413), ("XYZ", 400)] {
                let bad = "POST /api/embed HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nab"
                let reply = try await Self.exchanged(port: port, [Self.bytes(bad)], wait: 30)
                #expect(reply.status == status, "\(size): \(reply.text.prefix(300).debugDescription)")
                #expect(reply.closed, "\(size)")
            }
        }
    }

    @Test func chunkedAndPipelinedRequestsWithinTheLimitAreServed() async throws {
        // The guard follows the framing of every request on a connection without changing a byte: a chunked body
        // with leading zeros in a size, an extension and a trailer, a Content-Length body that holds what looks like
        // a size line, then a request without a body, all in one send.
        try await Self.withServer(idle: 3) { port in
            let requests =
                "GET /api/run HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "00000000000000000005;name=value\r\nhello\r\n3\r\n ab\r\n0\r\nX-Trailer: 1\r\n\r\n"
                + "GET /api/run HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n0\r\nFFFFFFFFF\r\n"
                + "GET /api/run HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            let reply = try await Self.exchanged(port: port, [Self.bytes(requests)], wait: 8)
            let statuses = reply.text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { $0.prefix(3) }
            #expect(statuses == ["200", "200", "200"], "\(reply.text.prefix(600).debugDescription)")
        }
    }

    @Test func tenMegabyteBodyIsAnsweredAndClosed() async throws {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20)
        try await Self.withServer { port in
            for route in ["GET /api/run", "POST /api/embed"] {
                let head = "\(route) HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n"
                let start = Date()
                let reply = try await Self.exchanged(port: port, [Self.bytes(head), body])
                #expect(reply.status == 413, "\(route): \(reply.text.prefix(300))")
                #expect(reply.text.lowercased().contains("connection: close"), "\(route)")
                #expect(reply.closed, "\(route)")
                #expect(Date().timeIntervalSince(start) < 4, "\(route)")
            }
            // Chunked, without a declared length: refused once the chunks pass the limit.
            var chunked = Self.bytes("POST /api/embed HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            for _ in 0..<64 { chunked += Self.bytes("4000\r\n") + [UInt8](repeating: 0x61, count: 0x4000) + [13, 10] }
            let reply = try await Self.exchanged(port: port, [chunked])
            #expect(reply.status == 413, "\(reply.text.prefix(300))")
            #expect(reply.closed)
        }
    }

    @Test func slowRequestsTimeOutAndIdleConnectionsClose() async throws {
        try await Self.withServer { port in
            // A body that never finishes: the route answers (404 here: live mode is off), and the read timeout
            // (2 s here) closes the connection.
            let head = "POST /api/embed HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"term\""
            let start = Date()
            let slow = try await Self.exchanged(port: port, [Self.bytes(head)], wait: 8)
            #expect(slow.status == 404 || slow.status == 408, "\(slow.text.prefix(300))")
            #expect(slow.closed)
            #expect(Date().timeIntervalSince(start) < 6)
            // A head that never completes (slow loris): closed by the idle timeout.
            let partial = try await Self.exchanged(
                port: port, [Self.bytes("GET /api/run HTTP/1.1\r\nHost: x\r\n")], wait: 8)
            #expect(partial.closed)
        }
    }

    @Test func wellFormedRequestsKeepTheConnection() async throws {
        try await Self.withServer(idle: 20) { port in
            let get = "GET /api/concepts HTTP/1.1\r\nHost: x\r\n\r\n"
            let reply = try await Self.exchanged(port: port, [Self.bytes(get), Self.bytes(get)], pause: 0.2, wait: 6)
            #expect(
                reply.text.components(separatedBy: "HTTP/1.1 200").count == 3,
                "\(reply.text.prefix(300).debugDescription)")
            #expect(!reply.closed)
        }
    }

    @Test func duplicatedJSONKeysAreRefused() throws {
        for body in [#"{"term": "nurse", "term": "doctor"}"#, #"{"term": "x", "k": 3, "k": 4}"#] {
            let error = #expect(throws: ExplorerAPI.Failure.self) {
                _ = try ExplorerServer.embedRequest(Data(body.utf8))
            }
            #expect(error?.status == 400)
            #expect(error?.error.contains("given twice") == true, "\(error?.error ?? "")")
        }
        #expect(try ExplorerServer.embedRequest(Data(#"{"term": "nurse", "k": 3}"#.utf8)).term == "nurse")
    }
}
