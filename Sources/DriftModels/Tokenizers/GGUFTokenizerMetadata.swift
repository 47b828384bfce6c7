/// The tokenizer metadata of a GGUF file (its `tokenizer.ggml.*` keys), from which ``makeTokenizer(path:)`` builds
/// the tokenizer the way llama.cpp's `llama-vocab.cpp` does.
///
/// The GGUF reader fills this struct; nothing here reads files.
public struct GGUFTokenizerMetadata: Sendable {
    /// `tokenizer.ggml.model`: `llama` (SentencePiece), `gpt2` (byte-level BPE) or `bert` (WordPiece).
    public var model: String
    /// `tokenizer.ggml.pre`: the pre-tokenizer family of a `gpt2` model (`llama-bpe`, `qwen2`, `gpt-2`, `olmo`…).
    public var pre: String?
    /// `tokenizer.ggml.tokens`: the token strings, indexed by id.
    public var tokens: [String]
    /// `tokenizer.ggml.scores`: one score per token (SentencePiece models).
    public var scores: [Float]?
    /// `tokenizer.ggml.token_type`: one type per token (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused,
    /// 6 byte).
    public var tokenTypes: [Int32]?
    /// `tokenizer.ggml.merges`: `"left right"` strings in rank order (`gpt2` models).
    public var merges: [String]?
    /// `tokenizer.ggml.bos_token_id`.
    public var bosTokenID: Int?
    /// `tokenizer.ggml.eos_token_id`.
    public var eosTokenID: Int?
    /// `tokenizer.ggml.unknown_token_id`.
    public var unknownTokenID: Int?
    /// `tokenizer.ggml.seperator_token_id` (llama.cpp's spelling).
    public var separatorTokenID: Int?
    /// `tokenizer.ggml.padding_token_id`.
    public var paddingTokenID: Int?
    /// `tokenizer.ggml.add_bos_token`.
    public var addBOS: Bool?
    /// `tokenizer.ggml.add_eos_token`.
    public var addEOS: Bool?
    /// `tokenizer.ggml.add_space_prefix` (SentencePiece models; llama.cpp's default is true).
    public var addSpacePrefix: Bool?

    /// Creates metadata; only `model` and `tokens` are required.
    public init(
        model: String, pre: String? = nil, tokens: [String], scores: [Float]? = nil,
        tokenTypes: [Int32]? = nil, merges: [String]? = nil, bosTokenID: Int? = nil, eosTokenID: Int? = nil,
        unknownTokenID: Int? = nil, separatorTokenID: Int? = nil, paddingTokenID: Int? = nil,
        addBOS: Bool? = nil, addEOS: Bool? = nil, addSpacePrefix: Bool? = nil
    ) {
        self.model = model
        self.pre = pre
        self.tokens = tokens
        self.scores = scores
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.unknownTokenID = unknownTokenID
        self.separatorTokenID = separatorTokenID
        self.paddingTokenID = paddingTokenID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
    }
}
