/// The parameters of one norm (either may be absent: OLMo's LayerNorm has neither, RMSNorm has no bias).
public struct NormWeights: Sendable {
    /// The scale, one value per normalised element (for `(1+w)` norms, the stored `w`).
    public var weight: [Float]?
    /// The shift, one value per normalised element.
    public var bias: [Float]?

    /// Creates a norm's parameters.
    public init(weight: [Float]?, bias: [Float]? = nil) {
        self.weight = weight
        self.bias = bias
    }
}
