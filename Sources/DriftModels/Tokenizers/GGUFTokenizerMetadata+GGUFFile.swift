import DriftCore

extension GGUFTokenizerMetadata {
    /// The `tokenizer.ggml.*` metadata of an opened GGUF file.
    ///
    /// - Throws: `DriftError` naming the file when the tokenizer keys are missing or of the wrong type.
    public init(gguf file: GGUFFile) throws {
        func fail(_ message: String) -> DriftError { DriftError(.corruptFile, message, path: file.path) }
        guard let model = file.string("tokenizer.ggml.model") else {
            throw DriftError(
                .missing, "the GGUF file has no tokenizer (tokenizer.ggml.model is missing)",
                path: file.path)
        }
        guard case .string(let tokens) = file.array("tokenizer.ggml.tokens") else {
            throw fail("tokenizer.ggml.tokens is missing or not an array of strings")
        }
        var scores: [Float]?
        switch file.array("tokenizer.ggml.scores") {
        case .float32(let v): scores = v
        case .float64(let v): scores = v.map { Float($0) }
        case nil: scores = nil
        default: throw fail("tokenizer.ggml.scores is not an array of floats")
        }
        var types: [Int32]?
        switch file.array("tokenizer.ggml.token_type") {
        case .int32(let v): types = v
        case .uint32(let v): types = v.map { Int32(truncatingIfNeeded: $0) }
        case nil: types = nil
        default: throw fail("tokenizer.ggml.token_type is not an array of integers")
        }
        var merges: [String]?
        switch file.array("tokenizer.ggml.merges") {
        case .string(let v): merges = v
        case nil: merges = nil
        default: throw fail("tokenizer.ggml.merges is not an array of strings")
        }
        self.init(
            model: model, pre: file.string("tokenizer.ggml.pre"), tokens: tokens, scores: scores, tokenTypes: types,
            merges: merges, bosTokenID: file.integer("tokenizer.ggml.bos_token_id"),
            eosTokenID: file.integer("tokenizer.ggml.eos_token_id"),
            unknownTokenID: file.integer("tokenizer.ggml.unknown_token_id"),
            separatorTokenID: file.integer("tokenizer.ggml.seperator_token_id"),
            paddingTokenID: file.integer("tokenizer.ggml.padding_token_id"),
            addBOS: file.bool("tokenizer.ggml.add_bos_token"), addEOS: file.bool("tokenizer.ggml.add_eos_token"),
            addSpacePrefix: file.bool("tokenizer.ggml.add_space_prefix"))
    }
}
