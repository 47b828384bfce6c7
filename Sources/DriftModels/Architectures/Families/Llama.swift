/// Llama 1/2/3 (`llama`): RMSNorm before attention and the MLP, gated SiLU MLP, rotary positions with Llama 3's
/// frequency scaling; the default layout every other decoder family starts from.
package enum LlamaFamily: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.mlpBias = .key("mlp_bias", default: false)
    }

    package static var ggufArchitecture: String? { "llama" }

    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        // convert_hf_to_gguf.py permutes Llama's query and key rows for llama.cpp's interleaved rope.
        GGUFModelStore.decoderName(name, permutesQueryKey: true, feedForwardNorm: "post_attention_layernorm")
    }
}
