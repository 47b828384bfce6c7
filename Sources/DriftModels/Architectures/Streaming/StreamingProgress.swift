/// Where a layer-streaming forward pass stands, reported before the first block and after every block.
public struct StreamingProgress: Sendable, Equatable {
    /// Blocks computed so far.
    public var layersDone: Int
    /// Blocks in the model.
    public var layerCount: Int
    /// Seconds since the pass started (embedding included).
    public var elapsedSeconds: Double
    /// Seconds the forward pass spent waiting for block weights to be read and converted (all of the reading when
    /// nothing is prepared ahead; only what the background reader did not hide otherwise).
    public var weightWaitSeconds: Double
    /// Seconds spent computing blocks.
    public var computeSeconds: Double

    /// Seconds left, estimated from the blocks done so far (nil before the first block ends).
    public var estimatedSecondsLeft: Double? {
        guard layersDone > 0 else { return nil }
        return elapsedSeconds / Double(layersDone) * Double(layerCount - layersDone)
    }
}
