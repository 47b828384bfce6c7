/// OLMo 3 (`olmo3`): OLMo 2's layout (norms on the branch outputs, whole-projection query/key norms) with
/// sliding-window layers (all but every 4th by default), each layer type with its own rotary entry.
package enum OLMo3Family: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.normEpsilon = 1e-5
        $0.ropeTheta = 500_000
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.slidingWindow = try reader.slidingWindow(default: 4096)
        configuration.layerTypes = (0..<configuration.layerCount).map {
            ($0 + 1) % 4 != 0 ? "sliding_attention" : "full_attention"
        }
    }

    /// Olmo3Config.convert_rope_params_to_dict: one entry per layer type; `rope_scaling` applies to full attention.
    package static func readRope(
        from reader: ConfigurationReader, layerTypes: [String], maxPositions: Int
    ) throws -> (full: ModelConfiguration.RopeParameters?, sliding: ModelConfiguration.RopeParameters?) {
        let rope = RopeReader(reader: reader, defaults: defaults, maxPositions: maxPositions)
        let parameters = try reader.optionalObject("rope_parameters")
        var full = (parameters?["full_attention"]?.objectValue) ?? ["rope_type": .string("default")]
        let sliding = (parameters?["sliding_attention"]?.objectValue) ?? ["rope_type": .string("default")]
        if let scaling = try reader.optionalObject("rope_scaling") { full.merge(scaling) { _, new in new } }
        let theta = try rope.outerTheta() ?? defaults.ropeTheta
        return (
            try rope.build(full, defaultTheta: theta, defaultPartial: 1),
            try rope.build(sliding, defaultTheta: theta, defaultPartial: 1)
        )
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.hasPreNorms = false
        spec.hasPostAttentionNorm = true
        spec.hasPostFeedForwardNorm = true
        spec.queryKeyNorm = .whole
    }
}
