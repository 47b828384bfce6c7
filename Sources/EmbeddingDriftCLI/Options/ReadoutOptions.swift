import ArgumentParser
import DriftCore
import DriftModels

/// What `extract` and `compare` read through the model's LM head besides the hidden states; with `compare`, the
/// pairs whose variants both kept next-token logits also get the output-level tables (`tables/next_token*`).
struct ReadoutOptions: ParsableArguments {
    @Flag(
        inversion: .prefixedNo,
        help: ArgumentHelp(
            "Also write logits_<name>.npy: every concept's next-token logits at the last prompt token (concepts × vocabulary, float32; what transformers returns as logits[:, -1]), computed from the full pass whatever --layers keeps, and next_tokens_<name>.csv, its ten most likely tokens. On by default with compare for causal models and --pooling last (--no-next-token turns it off)."
        ))
    var nextToken: Bool?

    @Option(
        help: ArgumentHelp(
            "Also write logit_lens_<name>.csv: for every kept layer and concept, the K most likely next tokens when that layer's state is read through the final norm and the LM head (layer,term,category,rank,token_id,token,prob).",
            valueName: "K"))
    var logitLens: Int?

    /// Whether anything was asked for on the command line (`--next-token` or `--logit-lens`).
    var isExplicit: Bool { Self.isExplicit(nextToken: nextToken, logitLens: logitLens) }

    /// The readout asked for, checked against the pooling (both read the last token's state).
    ///
    /// - Parameter nextTokenByDefault: what no `--next-token`/`--no-next-token` means.
    func readout(pooling: Pooling, nextTokenByDefault: Bool = false) throws -> OutputReadout {
        try Self.readout(
            nextToken: nextToken, logitLens: logitLens, pooling: pooling, nextTokenByDefault: nextTokenByDefault)
    }

    /// The most tokens per layer `--logit-lens` keeps.
    static let maxLogitLens = 1_000

    /// Whether `--next-token` (not `--no-next-token`) or `--logit-lens` was asked for.
    static func isExplicit(nextToken: Bool?, logitLens: Int?) -> Bool { nextToken == true || logitLens != nil }

    /// The readout of `--next-token`/`--no-next-token` (`nextToken`, nil when neither is given) and `--logit-lens`
    /// (`logitLens`): what the flags mean, for `compare`, `extract` and experiment files alike.
    ///
    /// - Parameter nextTokenByDefault: what no `--next-token`/`--no-next-token` means.
    /// - Throws: ``DriftCore/DriftError`` for a `--logit-lens` outside 1…1000, or a readout with a pooling other
    ///   than `last`.
    static func readout(nextToken: Bool?, logitLens: Int?, pooling: Pooling, nextTokenByDefault: Bool) throws
        -> OutputReadout
    {
        if let k = logitLens, !(1...maxLogitLens).contains(k) {
            throw DriftError(.invalidArgument, "--logit-lens must be between 1 and 1000 tokens per layer (got \(k))")
        }
        if nextTokenByDefault && !isExplicit(nextToken: nextToken, logitLens: logitLens) {
            return OutputReadout(nextTokenLogits: nextToken ?? true)
        }
        let readout = OutputReadout(nextTokenLogits: nextToken ?? false, logitLensTop: logitLens)
        if !readout.isEmpty && pooling != .last {
            throw DriftError(
                .invalidArgument, "--next-token and --logit-lens read the last prompt token's state; use --pooling last"
            )
        }
        return readout
    }
}
