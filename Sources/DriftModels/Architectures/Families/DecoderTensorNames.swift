/// The Hugging Face tensor names of one decoder block, after the checkpoint prefix and `layers.N.`.
///
/// The defaults are Llama's; families change what differs (Gemma's norm before the MLP, Phi-3's fused projections,
/// the routed experts of Mixture-of-Experts models).
package struct DecoderTensorNames: Sendable {
    /// The blocks' common prefix before the layer index.
    package var layers = "layers."
    /// The norm before attention.
    package var attentionNorm = "input_layernorm"
    /// The query, key and value projections.
    package var query = "self_attn.q_proj"
    package var key = "self_attn.k_proj"
    package var value = "self_attn.v_proj"
    /// One fused `[q; k; v]` projection instead of three (Phi-3's `qkv_proj`).
    package var fusedQueryKeyValue: String?
    /// The attention output projection.
    package var output = "self_attn.o_proj"
    /// The query and key norms (when the spec has them).
    package var queryNorm = "self_attn.q_norm"
    package var keyNorm = "self_attn.k_norm"
    /// The norm on the attention output (when the spec has it).
    package var postAttentionNorm = "post_attention_layernorm"
    /// The norm before the MLP: Llama calls it `post_attention_layernorm`, Gemma `pre_feedforward_layernorm`.
    package var feedForwardNorm = "post_attention_layernorm"
    /// The norm on the MLP output (when the spec has it).
    package var postFeedForwardNorm = "post_feedforward_layernorm"
    /// The gated MLP's projections.
    package var gate = "mlp.gate_proj"
    package var up = "mlp.up_proj"
    /// One fused `[gate; up]` projection instead of two (Phi-3's `gate_up_proj`).
    package var fusedGateUp: String?
    package var down = "mlp.down_proj"
    /// The routed experts of a Mixture-of-Experts block (when the spec has experts).
    package var experts = ExpertTensorNames()

    package init() {}

    /// The names with `change` applied.
    package func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}

/// The tensor names of a Mixture-of-Experts block: the router and each expert's projections.
///
/// Checkpoints on the Hub store one tensor per expert (`mlp.experts.3.gate_proj.weight`); transformers 5 saves them
/// stacked (`mlp.experts.gate_up_proj` of shape `experts × 2·width × hidden`, `mlp.experts.down_proj` of shape
/// `experts × hidden × width`). Both are read.
package struct ExpertTensorNames: Sendable {
    /// The router (`experts × hidden`).
    package var router = "mlp.gate"
    /// The experts' common prefix.
    package var experts = "mlp.experts"
    /// One expert's projections after `experts.N.`.
    package var gate = "gate_proj"
    package var up = "up_proj"
    package var down = "down_proj"

    package init() {}
}
