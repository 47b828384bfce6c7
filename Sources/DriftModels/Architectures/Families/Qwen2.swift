/// Qwen2 and Qwen2.5 (`qwen2`): Llama's layout with biases on the query, key and value projections only, and
/// sliding-window layers from `max_window_layers` on when `use_sliding_window` is set.
package enum Qwen2Family: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.keyValueHeads = 32
        $0.maxPositions = 32768
        $0.attentionBias = .fixed(true)
    }

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        try readQwenSlidingWindow(&configuration, from: reader)
    }

    /// Qwen's `use_sliding_window` / `max_window_layers` rule (Qwen2, Qwen3, Qwen3-MoE).
    package static func readQwenSlidingWindow(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        guard try reader.flag("use_sliding_window", default: false) else { return }
        configuration.slidingWindow = try reader.slidingWindow(default: 4096)
        guard configuration.slidingWindow != nil else { return }
        let maxWindowLayers = try reader.integer("max_window_layers", default: 28)
        configuration.layerTypes = (0..<configuration.layerCount).map {
            $0 >= maxWindowLayers ? "sliding_attention" : "full_attention"
        }
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        spec.outputBias = false  // Qwen2 biases q, k and v only
    }

    package static var ggufArchitecture: String? { "qwen2" }
}
