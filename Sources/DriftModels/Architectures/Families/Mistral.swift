/// Mistral (`mistral`): Llama's layout with a sliding window on every layer (4096 when the key is absent; `null`
/// switches it off) and 8 key/value heads by default.
package enum MistralFamily: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.keyValueHeads = 8
        $0.maxPositions = 4096 * 32
        $0.attentionBias = .fixed(false)
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.slidingWindow = try reader.slidingWindow(default: 4096)
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        // Every layer slides, whatever layer_types says (MistralAttention passes config.sliding_window).
        spec.layerWindows = Array(repeating: configuration.slidingWindow, count: spec.layerCount)
    }
}
