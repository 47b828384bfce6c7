import DriftCore

extension GGUFTokenizerMetadata {
    /// Reads the `tokenizer.ggml.*` keys of a GGUF file.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file when there is no tokenizer in the metadata or a key has
    ///   the wrong type.
    public init(file: GGUFFile) throws {
        let path = file.path
        func wrong(_ key: String, _ expected: String) -> DriftError {
            DriftError(.corruptFile, "\(key) is \(file.value(key)?.summary ?? "absent"), expected \(expected)", path: path)
        }
        guard let model = file.string("tokenizer.ggml.model") else {
            throw DriftError(
                .missing, "the GGUF file has no tokenizer (no tokenizer.ggml.model in its metadata)", path: path)
        }
        guard let tokens = file.array("tokenizer.ggml.tokens")?.strings else {
            throw wrong("tokenizer.ggml.tokens", "an array of strings")
        }
        var scores: [Float]?
        if file.value("tokenizer.ggml.scores") != nil {
            guard let values = file.array("tokenizer.ggml.scores")?.floats else {
                throw wrong("tokenizer.ggml.scores", "an array of floats")
            }
            scores = values
        }
        var types: [Int32]?
        if file.value("tokenizer.ggml.token_type") != nil {
            guard let values = file.array("tokenizer.ggml.token_type")?.ints,
                values.allSatisfy({ Int32(exactly: $0) != nil })
            else { throw wrong("tokenizer.ggml.token_type", "an array of integers") }
            types = values.map { Int32($0) }
        }
        var merges: [String]?
        if file.value("tokenizer.ggml.merges") != nil {
            guard let values = file.array("tokenizer.ggml.merges")?.strings else {
                throw wrong("tokenizer.ggml.merges", "an array of strings")
            }
            merges = values
        }
        func id(_ name: String) throws -> Int? {
            let key = "tokenizer.ggml.\(name)"
            guard let value = file.value(key) else { return nil }
            guard let id = value.intValue else { throw wrong(key, "an integer") }
            return id
        }
        func flag(_ name: String) throws -> Bool? {
            let key = "tokenizer.ggml.\(name)"
            guard let value = file.value(key) else { return nil }
            guard let flag = value.boolValue else { throw wrong(key, "true or false") }
            return flag
        }
        self.init(
            model: model, pre: file.string("tokenizer.ggml.pre"), tokens: tokens, scores: scores, tokenTypes: types,
            merges: merges, bosTokenID: try id("bos_token_id"), eosTokenID: try id("eos_token_id"),
            unknownTokenID: try id("unknown_token_id"), separatorTokenID: try id("seperator_token_id"),
            paddingTokenID: try id("padding_token_id"), addBOS: try flag("add_bos_token"),
            addEOS: try flag("add_eos_token"), addSpacePrefix: try flag("add_space_prefix"))
    }
}
