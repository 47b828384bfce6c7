import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with ``ChunkSizeGuard`` in front of its HTTP decoder (Hummingbird adds its own
/// extra handlers only after decoding, where the declared chunk sizes are gone).
struct GuardedHTTP1Channel: ServerChildChannel {
    /// The channel every connection is served by.
    let http1: HTTP1Channel
    /// The request body limit the guard holds chunk sizes to.
    let maxBodyBytes: Int

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(ChunkSizeGuard(maxBodyBytes: maxBodyBytes), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http1.setup(channel: channel, logger: logger)
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}
