import DriftCore
import Foundation

/// Reads one block's weights on a background thread, so that the next block is converted while the current one
/// computes.
final class BlockPrefetcher: @unchecked Sendable {
    // Safe to share: `result` is written once by the reader thread and read after `ready` is signalled, both under
    // `lock`.
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private var result: Result<BlockWeights, any Error>?
    /// The block being read.
    let layer: Int

    /// Starts reading block `layer` of `source`.
    init(source: any ModelWeightSource, layer: Int) {
        self.layer = layer
        let thread = Thread { [self] in
            let read = Result { try source.blockWeights(layer) }
            lock.lock()
            result = read
            lock.unlock()
            ready.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Waits for the block and returns it (or the error reading it threw).
    func take() throws -> BlockWeights {
        ready.wait()
        ready.signal()
        lock.lock()
        defer { lock.unlock() }
        guard let result else {
            throw DriftError(.io, "the background read of block \(layer) ended without weights or an error")
        }
        return try result.get()
    }
}
