extension ModelConfiguration {
    /// The model families this tool can run, by transformers' `model_type`: the one registry of families.
    public enum Architecture: String, Sendable, CaseIterable, Equatable {
        case llama
        case mistral
        case qwen2
        case gemma3Text = "gemma3_text"
        case gpt2
        case gptNeoX = "gpt_neox"
        case olmo
        case olmo2
        case bert
        case qwen3
        case qwen3MoE = "qwen3_moe"
        case mixtral
        case olmoe
        case gemma2
        case granite
        case smolLM3 = "smollm3"
        case olmo3
        case phi3
        case gptOSS = "gpt_oss"

        /// The file that knows this family (``ArchitectureFamily``).
        package var family: any ArchitectureFamily.Type {
            switch self {
            case .llama: LlamaFamily.self
            case .mistral: MistralFamily.self
            case .qwen2: Qwen2Family.self
            case .gemma3Text: Gemma3Family.self
            case .olmo: OLMoFamily.self
            case .olmo2: OLMo2Family.self
            case .gptNeoX: GPTNeoXFamily.self
            case .gpt2: GPT2Family.self
            case .bert: BERTFamily.self
            case .qwen3: Qwen3Family.self
            case .qwen3MoE: Qwen3MoEFamily.self
            case .mixtral: MixtralFamily.self
            case .olmoe: OLMoEFamily.self
            case .gemma2: Gemma2Family.self
            case .granite: GraniteFamily.self
            case .smolLM3: SmolLM3Family.self
            case .olmo3: OLMo3Family.self
            case .phi3: Phi3Family.self
            case .gptOSS: GPTOSSFamily.self
            }
        }

        /// The family whose GGUF files name this `general.architecture`, or nil.
        package init?(ggufArchitecture name: String) {
            guard let match = Self.allCases.first(where: { $0.family.ggufArchitecture == name }) else { return nil }
            self = match
        }

        /// The `general.architecture` names of the GGUF files this tool runs.
        package static var ggufArchitectures: [String] { allCases.compactMap { $0.family.ggufArchitecture } }

        /// Whether the model is an encoder (bidirectional attention, no rotary positions).
        public var isEncoder: Bool { family.defaults.encoder }

        /// Whether positions are rotary (all but GPT-2 and BERT, which learn position embeddings).
        public var usesRotaryPositions: Bool { family.defaults.rotaryPositions }
    }
}
