import ArgumentParser
import DriftCore
import DriftModels

/// What `extract` and `compare` read through the model's LM head besides the hidden states; with `compare`, the
/// pairs whose variants both kept next-token logits also get the output-level tables (`tables/next_token*`).
struct ReadoutOptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Also write logits_<name>.npy: every concept's next-token logits at the last prompt token (concepts × vocabulary, float32; what transformers returns as logits[:, -1]), computed from the full pass whatever --layers keeps."
        ))
    var nextToken = false

    @Option(
        help: ArgumentHelp(
            "Also write logit_lens_<name>.csv: for every kept layer and concept, the K most likely next tokens when that layer's state is read through the final norm and the LM head (layer,term,category,rank,token_id,token,prob).",
            valueName: "K"))
    var logitLens: Int?

    /// The readout asked for, checked against the pooling (both read the last token's state).
    func readout(pooling: Pooling) throws -> OutputReadout {
        if let k = logitLens, !(1...1_000).contains(k) {
            throw DriftError(.invalidArgument, "--logit-lens must be between 1 and 1000 tokens per layer (got \(k))")
        }
        let readout = OutputReadout(nextTokenLogits: nextToken, logitLensTop: logitLens)
        if !readout.isEmpty && pooling != .last {
            throw DriftError(
                .invalidArgument, "--next-token and --logit-lens read the last prompt token's state; use --pooling last"
            )
        }
        return readout
    }
}
