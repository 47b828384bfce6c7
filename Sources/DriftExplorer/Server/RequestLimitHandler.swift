import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Limits every request on a connection before the router sees it, and closes the connection on a violation.
///
/// Sits in each connection's pipeline between HTTP decoding and Hummingbird's request handling:
/// - a body declared (`Content-Length`) or sent (chunked) beyond ``maxBodyBytes`` is answered 413;
/// - a request whose head and body do not arrive within ``readTimeout`` is answered 408 (slow clients);
/// - a chunk size over the limit (`FFFFFFFFFFFFFFFF`, or one too long for 64 bits), which ``ChunkSizeGuard`` reports
///   before any of the chunk arrives, is answered 413;
/// - malformed HTTP (a chunk size that is not hexadecimal, a broken header) is answered 400.
///
/// Each answer carries `Connection: close`, and the connection is then closed, so a client cannot keep streaming
/// into a request that has been refused. When the router has already answered the request, the connection is only
/// closed. Idle connections (including one whose request head never completes) are closed by Hummingbird's idle
/// timeout, which ``ExplorerServer`` sets.
final class RequestLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The largest request body accepted, in bytes.
    let maxBodyBytes: Int
    /// The longest a request may take to arrive, from its first byte to the end of its body.
    let readTimeout: TimeAmount

    private var bodyBytes = 0
    /// Whether a response to the current request has begun.
    private var answered = false
    /// Whether the connection is being closed: every further read is dropped.
    private var refused = false
    private var timer: Scheduled<Void>?

    init(maxBodyBytes: Int, readTimeout: TimeAmount) {
        self.maxBodyBytes = maxBodyBytes
        self.readTimeout = readTimeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            bodyBytes = 0
            answered = false
            if let declared = head.headerFields[.contentLength], Int(declared).map({ $0 > maxBodyBytes }) ?? true {
                refuse(context, .contentTooLarge, "the request body is over \(maxBodyBytes) bytes")
                return
            }
            startTimer(context)
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            if bodyBytes > maxBodyBytes {
                refuse(context, .contentTooLarge, "the request body is over \(maxBodyBytes) bytes")
                return
            }
        case .end:
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head = unwrapOutboundIn(data) { answered = true }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError {
            refuse(context, .badRequest, "malformed HTTP request (\(error))")
        } else if let tooLarge = error as? ChunkSizeGuard.TooLarge {
            refuse(
                context, .contentTooLarge,
                "a chunk of 0x\(tooLarge.declared.prefix(16)) bytes is over the \(maxBodyBytes)-byte body limit")
        } else {
            context.fireErrorCaught(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    private func startTimer(_ context: ChannelHandlerContext) {
        timer?.cancel()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let seconds = readTimeout.nanoseconds / 1_000_000_000
        timer = context.eventLoop.scheduleTask(in: readTimeout) {
            handler.value.refuse(
                boundContext.value, .requestTimeout, "the request did not arrive within \(seconds) s")
        }
    }

    /// Answers `status` with a one-line JSON error unless a response has begun, then closes the connection.
    private func refuse(_ context: ChannelHandlerContext, _ status: HTTPResponse.Status, _ message: String) {
        guard !refused else { return }
        refused = true
        timer?.cancel()
        timer = nil
        guard !answered else {
            context.close(promise: nil)
            return
        }
        answered = true
        var body = context.channel.allocator.buffer(capacity: message.utf8.count + 16)
        body.writeString("{\"error\":\"" + String(message.map { $0 == "\"" ? "'" : $0 }) + "\"}")
        var fields = HTTPFields()
        fields[.connection] = "close"
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(body.readableBytes)
        fields[.cacheControl] = "no-store"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
