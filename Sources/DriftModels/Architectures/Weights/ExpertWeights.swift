/// The weights of a Mixture-of-Experts block: the router and every expert's gated MLP, in the runtime's layout.
public struct ExpertWeights: Sendable {
    /// The router: `experts × hidden`.
    public var router: LinearWeights
    /// Each expert's stacked gate and up projections: `2·width × hidden` (`[gate; up]` rows).
    public var gateUp: [LinearWeights]
    /// Each expert's down projection: `hidden × width`.
    public var down: [LinearWeights]

    /// Creates the weights of a routed block.
    public init(router: LinearWeights, gateUp: [LinearWeights], down: [LinearWeights]) {
        self.router = router
        self.gateUp = gateUp
        self.down = down
    }
}
