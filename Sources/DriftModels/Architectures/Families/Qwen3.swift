/// Qwen3 (`qwen3`): Qwen2's layout without projection biases, with per-head RMSNorms on queries and keys and an
/// explicit head width that need not be hidden / heads.
package enum Qwen3Family: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.keyValueHeads = 32
        $0.headDimension = 128
        $0.maxPositions = 32768
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        try Qwen2Family.readQwenSlidingWindow(&configuration, from: reader)
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.queryKeyNorm = .perHead
    }

    package static var ggufArchitecture: String? { "qwen3" }
}
