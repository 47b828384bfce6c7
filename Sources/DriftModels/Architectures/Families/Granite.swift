/// Granite 3 (`granite`): Llama's layout with scalar multipliers on the embeddings (`embedding_multiplier`), the
/// attention scores (`attention_multiplier` replaces `1/√head_dim`) and each branch before its residual add
/// (`residual_multiplier`).
package enum GraniteFamily: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.mlpBias = .key("mlp_bias", default: false)
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        let embedding = try reader.number("embedding_multiplier", default: 1)
        let attention = try reader.number("attention_multiplier", default: 1)
        let residual = try reader.number("residual_multiplier", default: 1)
        spec.embeddingScale = Float(embedding)
        spec.attentionScale = Float(attention)
        spec.residualScale = Float(residual)
        let scaling = try reader.number("logits_scaling", default: 1)
        spec.outputDivisor = scaling == 1 ? nil : Float(scaling)
    }
}
