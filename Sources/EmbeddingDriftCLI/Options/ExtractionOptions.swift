import ArgumentParser
import DriftModels

/// `--template`, `--layers`, `--pooling`, `--batch-tokens`, `--no-special-tokens`, `--no-prefix-sharing`: how
/// concepts become vectors
/// (shared by `extract` and the commands that extract).
struct ExtractionOptions: ParsableArguments {
    @Option(help: "The prompt; {term} marks where each concept goes (exactly once).")
    var template: String = PromptTemplate.default.text

    @Option(
        help: ArgumentHelp(
            "Hidden states to keep: all (embedding output, every block, final norm), last, or indices like 0,8,-1 "
                + "(blocks past the deepest index are not run).",
            valueName: "all|last|i,j,…"))
    var layers: String = "all"

    @Option(
        help: ArgumentHelp(
            "How a prompt's token states become one vector: last (token) or mean.", valueName: "last|mean"))
    var pooling: String = Pooling.last.rawValue

    @Option(
        help: """
            The most prompt tokens per batch (larger batches mean larger, faster matrix products); the opening every \
            prompt shares counts once.
            """)
    var batchTokens: Int = ExtractionSettings.defaultMaxBatchTokens

    @Flag(help: "Do not add the tokenizer's special tokens (BOS/CLS/SEP) to the prompts.")
    var noSpecialTokens = false

    @Flag(
        help: """
            Compute every prompt in full: do not compute the opening all prompts of a batch share (e.g. \
            "<bos>The concept of") once for the batch. Same vectors up to float rounding, slower.
            """)
    var noPrefixSharing = false

    func validate() throws {
        guard Pooling(rawValue: pooling) != nil else {
            throw ValidationError(
                "unsupported pooling '\(pooling)'; supported: \(Pooling.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard batchTokens >= 1 else { throw ValidationError("--batch-tokens must be at least 1") }
    }

    /// The settings these options describe.
    ///
    /// - Throws: ``DriftCore/DriftError`` for a template without exactly one `{term}` or a malformed layer list.
    func settings() throws -> ExtractionSettings {
        ExtractionSettings(
            template: try PromptTemplate(template), pooling: Pooling(rawValue: pooling) ?? .last,
            layers: try LayerSelection(parsing: layers), maxBatchTokens: batchTokens,
            addSpecialTokens: !noSpecialTokens,
            sharesPromptPrefix: !noPrefixSharing)
    }
}
