extension RunManifest {
    /// One extracted or imported variant: where its vectors came from and how they were made.
    public struct Variant: Codable, Sendable, Equatable {
        /// The variant's name (`hidden_<name>.npy`).
        public var name: String
        /// `import` for a variant imported from a `.npy` file; nil for an extraction.
        public var source: String?
        /// The model as given (folder or file path), or the imported file.
        public var model: String?
        /// What the vectors depend on, hashed: a variant with the same fingerprint is not extracted again.
        public var fingerprint: String?
        /// The model files' hash.
        public var modelFilesSha256: String?
        /// The model files that went into that hash.
        public var modelFiles: [String]?
        /// The weights' stored dtype.
        public var dtype: String?
        /// The prompt template.
        public var template: String?
        /// Whether the tokenizer added its special tokens.
        public var addSpecialTokens: Bool?
        /// The pooling (`mean`, `last`, …).
        public var pooling: String?
        /// The layer selection as given (`all`, `last`, `0,4,8`, …).
        public var layerSelection: String?
        /// The stored layers (0 = embedding output), in the order of the hidden-state file.
        public var layers: [Int]
        /// The model's number of blocks.
        public var layerCount: Int?
        /// The width of every stored vector.
        public var hiddenSize: Int
        /// The vocabulary's name.
        public var vocabulary: String?
        /// The vocabulary's content hash.
        public var vocabularySha256: String?
        /// The number of concepts (rows).
        public var conceptCount: Int
        /// Tokens per concept prompt, in row order.
        public var tokenCounts: [Int]?
        /// Tokens in all prompts.
        public var tokens: Int?
        /// The variant's files.
        public var files: Files?
        /// Where the time went.
        public var timings: Timings?
        /// Whether prompts shared their common prefix in a batch.
        public var sharesPromptPrefix: Bool?
        /// The version of the tool that wrote the entry.
        public var toolVersion: String?
        /// When the entry was written (ISO 8601, UTC).
        public var createdAt: String?
        /// The quantization applied on load, if any.
        public var scheme: String?
        /// The linear layers' arithmetic (`f32`, `bf16`).
        public var compute: String?
        /// Where a Hub model came from (`id`, `revision`, `commit`).
        public var hub: [String: String]?
        /// The imported file's SHA-256.
        public var fileSha256: String?
        /// The variant whose files were copied (the same fingerprint under another name).
        public var copiedFrom: String?
        /// The shard directories the variant was joined from.
        public var mergedFrom: [String]?

        /// An entry of the fields every reader needs; the rest are nil.
        public init(name: String, layers: [Int], hiddenSize: Int, conceptCount: Int) {
            self.name = name
            self.layers = layers
            self.hiddenSize = hiddenSize
            self.conceptCount = conceptCount
        }

        enum CodingKeys: String, CodingKey {
            case name, source, model, fingerprint, dtype, template, pooling, layers, vocabulary, tokens, files
            case timings, scheme, compute, hub
            case modelFilesSha256 = "model_files_sha256", modelFiles = "model_files"
            case addSpecialTokens = "add_special_tokens", layerSelection = "layer_selection"
            case layerCount = "layer_count", hiddenSize = "hidden_size", vocabularySha256 = "vocabulary_sha256"
            case conceptCount = "concept_count", tokenCounts = "token_counts"
            case sharesPromptPrefix = "shares_prompt_prefix", toolVersion = "tool_version"
            case createdAt = "created_at", fileSha256 = "file_sha256", copiedFrom = "copied_from"
            case mergedFrom = "merged_from"
        }
    }

    /// The files of one variant, relative to the run directory.
    public struct Files: Codable, Sendable, Equatable {
        /// `embeddings_<name>.npy`.
        public var embeddings: String
        /// `hidden_<name>.npy`.
        public var hidden: String
        /// `concept_metadata.json`.
        public var metadata: String
        /// `logits_<name>.npy`, when the next-token logits were kept.
        public var logits: String?
        /// `logit_lens_<name>.csv`, when the logit lens was read.
        public var logitLens: String?
        /// `next_tokens_<name>.csv`, when the next-token logits were kept.
        public var nextTokens: String?

        enum CodingKeys: String, CodingKey {
            case embeddings, hidden, metadata, logits
            case logitLens = "logit_lens"
            case nextTokens = "next_tokens"
        }

        /// The files ``RunLayout`` names for variant `name`.
        public init(variant name: String) {
            embeddings = RunLayout.embeddingsFileName(name)
            hidden = RunLayout.hiddenFileName(name)
            metadata = RunLayout.metadataFileName
        }
    }

    /// Where one extraction's time went.
    public struct Timings: Codable, Sendable, Equatable {
        /// Seconds loading the model and tokenizer.
        public var loadSeconds: Double?
        /// Seconds tokenizing.
        public var tokenizeSeconds: Double?
        /// Seconds in the forward passes.
        public var forwardSeconds: Double?
        /// Prompt tokens per forward second.
        public var tokensPerSecond: Double?
        /// Batches run.
        public var batches: Int?
        /// The batch size in tokens.
        public var maxBatchTokens: Int?
        /// Token positions computed (fewer than the prompt tokens when prompts share a prefix).
        public var computedTokens: Int?

        /// Timings with every field nil.
        public init() {}

        enum CodingKeys: String, CodingKey {
            case batches
            case loadSeconds = "load_seconds", tokenizeSeconds = "tokenize_seconds"
            case forwardSeconds = "forward_seconds", tokensPerSecond = "tokens_per_second"
            case maxBatchTokens = "max_batch_tokens", computedTokens = "computed_tokens"
        }
    }
}
