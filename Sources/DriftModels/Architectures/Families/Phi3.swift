/// Phi-3, Phi-3.5 and Phi-4-mini (`phi3`): Llama's layout with one fused query/key/value projection (`qkv_proj`) and
/// one fused gate/up projection (`gate_up_proj`), partial rotary positions (`partial_rotary_factor`), `longrope`
/// scaling with short and long factors and its attention factor, and an optional sliding window on every layer.
package enum Phi3Family: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.maxPositions = 4096
        $0.originalMaxPositions = 4096
        $0.normEpsilon = 1e-5
    }

    package static let tensorNames = DecoderTensorNames().with {
        $0.fusedQueryKeyValue = "self_attn.qkv_proj"
        $0.fusedGateUp = "mlp.gate_up_proj"
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.slidingWindow = try reader.slidingWindow(default: nil)
    }

    /// Phi3Config turns the older `su` and `yarn` rope types into `longrope`.
    package static func readRope(
        from reader: ConfigurationReader, layerTypes: [String], maxPositions: Int
    ) throws -> (full: ModelConfiguration.RopeParameters?, sliding: ModelConfiguration.RopeParameters?) {
        var object = reader.object
        for key in ["rope_scaling", "rope_parameters"] {
            guard var entry = object[key]?.objectValue else { continue }
            for typeKey in ["rope_type", "type"] where ["su", "yarn"].contains(entry[typeKey]?.stringValue ?? "") {
                entry[typeKey] = .string("longrope")
            }
            object[key] = .object(entry)
        }
        return try RopeReader(
            reader: ConfigurationReader(object: object, path: reader.path), defaults: defaults,
            maxPositions: maxPositions
        ).standard(layerTypes: layerTypes)
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        // Phi3Attention passes config.sliding_window to every layer.
        spec.layerWindows = Array(repeating: configuration.slidingWindow, count: spec.layerCount)
    }
}
