import NIOCore

/// Refuses a chunked request body whose declared chunk size is over the body limit as soon as the size arrives,
/// before any of the chunk does.
///
/// NIO's HTTP decoder accepts any chunk size that fits in 64 bits (`FFFFFFFFFFFFFFFF`) and never says what it read;
/// the body then just never ends, and only the read timeout would answer. This handler sits in front of the decoder,
/// follows the byte stream's HTTP/1.1 framing (request heads, `Content-Length` bodies, chunk-size lines, chunk data,
/// trailers) without changing a byte, and at a chunk size over ``maxBodyBytes`` passes on what came before it, then
/// fires ``ChunkSizeGuard/TooLarge`` down the pipeline (``RequestLimitHandler`` answers it 413 and closes) and drops
/// the rest. Whatever it cannot follow (a malformed line, an upgrade) it stops following and leaves to the decoder.
final class ChunkSizeGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// The error fired when a chunk size is over the limit.
    struct TooLarge: Error, Equatable {
        /// The declared chunk size as sent (hexadecimal digits).
        let declared: String
    }

    /// Where in the stream the next byte is.
    private enum State {
        /// In a request head; `chunked` and `length` from the header lines seen so far.
        case head(chunked: Bool, length: Int, sawLine: Bool)
        /// `remaining` bytes of a `Content-Length` body.
        case body(remaining: Int)
        /// In a chunk-size line.
        case chunkSize
        /// `remaining` bytes of chunk data, then its line end.
        case chunkData(remaining: Int)
        /// The line end after a chunk's data.
        case chunkEnd
        /// The trailer lines after the last chunk.
        case trailers
        /// Not followed any more (the decoder decides), or refused (everything dropped).
        case passThrough
        case refused
    }

    /// The largest chunk accepted, in bytes (the request body limit).
    let maxBodyBytes: Int
    /// The longest line followed (a head line or a chunk-size line); a longer one is left to the decoder's limits.
    static let maxLineBytes = 16_384

    private var state = State.head(chunked: false, length: 0, sawLine: false)
    private var line: [UInt8] = []

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .refused = state { return }
        if case .passThrough = state {
            context.fireChannelRead(data)
            return
        }
        let bytes = Array(unwrapInboundIn(data).readableBytesView)
        var index = 0
        var refusedAt: (offset: Int, declared: String)?
        scan: while index < bytes.count {
            switch state {
            case .body(let remaining), .chunkData(let remaining):
                let step = min(remaining, bytes.count - index)
                index += step
                if case .body = state {
                    state =
                        remaining == step
                        ? .head(chunked: false, length: 0, sawLine: false) : .body(remaining: remaining - step)
                } else {
                    state = remaining == step ? .chunkEnd : .chunkData(remaining: remaining - step)
                }
            case .passThrough, .refused:
                break scan
            default:
                let lineStart = index - line.count
                guard let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else {
                    line += bytes[index...]
                    index = bytes.count
                    if line.count > Self.maxLineBytes {
                        state = .passThrough
                        line = []
                    }
                    break
                }
                line += bytes[index..<end]
                index = end + 1
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                let text = line
                line = []
                if let declared = take(line: text) {
                    refusedAt = (max(0, lineStart), declared)
                    break scan
                }
            }
        }
        if let refusedAt {
            state = .refused
            if refusedAt.offset > 0 {
                context.fireChannelRead(
                    wrapInboundOut(context.channel.allocator.buffer(bytes: bytes[..<refusedAt.offset])))
            }
            context.fireErrorCaught(TooLarge(declared: refusedAt.declared))
            return
        }
        context.fireChannelRead(data)
    }

    /// Takes one complete line (without its line end) in the current state; returns the declared size when it is a
    /// chunk-size line over the limit.
    private func take(line: [UInt8]) -> String? {
        switch state {
        case .head(let chunked, let length, let sawLine):
            guard line.isEmpty else {
                headerLine(line, chunked: chunked, length: length)
                return nil
            }
            // Blank lines before a request line are allowed (RFC 9112 §2.2); a blank line after one ends the head.
            guard sawLine else { return nil }
            state =
                chunked
                ? .chunkSize : length > 0 ? .body(remaining: length) : .head(chunked: false, length: 0, sawLine: false)
        case .chunkSize:
            let digits = line.prefix { isHex($0) }
            guard !digits.isEmpty else {
                state = .passThrough
                return nil
            }
            let declared = String(decoding: digits, as: UTF8.self)
            // Leading zeros are allowed; past them, more than 15 digits is over any limit (and may not fit in 64 bits).
            let significant = digits.drop { $0 == UInt8(ascii: "0") }
            guard significant.count <= 15, let size = Int(declared, radix: 16), size <= maxBodyBytes else {
                return declared
            }
            state = size == 0 ? .trailers : .chunkData(remaining: size)
        case .chunkEnd:
            state = line.isEmpty ? .chunkSize : .passThrough
        case .trailers:
            if line.isEmpty { state = .head(chunked: false, length: 0, sawLine: false) }
        default:
            break
        }
        return nil
    }

    /// Reads a request line or a header line of the current head.
    private func headerLine(_ line: [UInt8], chunked: Bool, length: Int) {
        var (chunked, length) = (chunked, length)
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingWhitespace().lowercased()
            switch name {
            case "transfer-encoding":
                chunked = value.split(separator: ",").last.map { $0.trimmingWhitespace() == "chunked" } ?? false
            case "content-length":
                guard let declared = Int(value), declared >= 0 else {
                    state = .passThrough
                    return
                }
                length = declared
            case "upgrade":
                state = .passThrough
                return
            default:
                break
            }
        }
        state = .head(chunked: chunked, length: length, sawLine: true)
    }

    private func isHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}

extension StringProtocol {
    /// The text without spaces and tabs at either end.
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
