import DriftCore

/// Any measure evaluated at every layer: a table ready to plot (layer 0 = embedding output, as transformers).
public struct LayerProfile: Sendable, Equatable {
    /// The measure's name (a table column).
    public var measure: String
    /// One value per layer, index = layer.
    public var values: [Double]

    /// Evaluates `measure(layer)` for `0..<layers`.
    /// - Throws: whatever the measure throws, for the first failing layer.
    public init(measure name: String, layers: Int, _ measure: (Int) throws -> Double) rethrows {
        self.measure = name
        self.values = try (0..<layers).map(measure)
    }

    /// The layer with the largest value (the first on ties), or nil when empty.
    public var peakLayer: Int? { values.indices.max { values[$0] < values[$1] } }
}
