/// SmolLM3 (`smollm3`): Llama's layout where some layers use no rotary positions at all (`no_rope_layers`: 1 where a
/// layer rotates, 0 where it does not; by default every 4th layer does not).
package enum SmolLM3Family: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.maxPositions = 32768
        $0.mlpBias = .key("mlp_bias", default: false)
        $0.tiedEmbeddings = true
        $0.ropeTheta = 2_000_000
    }

    /// Whether each layer rotates its queries and keys.
    static func rotaryLayers(_ configuration: ModelConfiguration, reader: ConfigurationReader) throws -> [Bool] {
        let count = configuration.layerCount
        if let given = try reader.optionalIntegers("no_rope_layers") {
            guard given.count == count else {
                throw reader.problem("\"no_rope_layers\" has \(given.count) entries for \(count) layers")
            }
            return given.map { $0 != 0 }
        }
        let interval = try reader.integer("no_rope_layer_interval", default: 4)
        guard interval > 0 else { throw reader.problem("\"no_rope_layer_interval\" must be positive") }
        return (0..<count).map { ($0 + 1) % interval != 0 }
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        guard try reader.flag("use_sliding_window", default: false),
            let window = try reader.slidingWindow(default: nil)
        else { return }
        configuration.slidingWindow = window
        let rotary = try rotaryLayers(configuration, reader: reader)
        configuration.layerTypes = rotary.map { $0 ? "full_attention" : "sliding_attention" }
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        let rotary = try rotaryLayers(configuration, reader: reader)
        spec.layerRopes = zip(spec.layerRopes, rotary).map { rope, rotates in rotates ? rope : nil }
        // A window only applies with use_sliding_window (SmolLM3Attention), whatever layer_types says.
        if try !reader.flag("use_sliding_window", default: false) {
            spec.layerWindows = Array(repeating: nil, count: spec.layerCount)
        }
    }
}
