/// OLMo 2 (`olmo2`): no norms before the branches, RMSNorms on the attention and MLP outputs instead, and query/key
/// norms over the whole projection.
package enum OLMo2Family: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.normEpsilon = 1e-5
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.clipQKV = try reader.optionalNumber("clip_qkv")
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
