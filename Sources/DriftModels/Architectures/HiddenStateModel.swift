public import DriftCore

/// How one vector is made from the hidden states of a prompt's tokens.
public enum Pooling: String, Sendable, CaseIterable {
    /// The state of the last token (the default for decoder models).
    case last
    /// The mean over every token of the prompt, special tokens included (as sentence-transformers does).
    case mean
}

/// A model that turns token sequences into hidden states, with Hugging Face `hidden_states` semantics:
/// index 0 is the embedding output, index i the output of block i, index `layerCount` the output of the final norm
/// (for decoders; for BERT, the output of the last block).
public protocol HiddenStateModel: Sendable {
    /// The number of blocks; there are `layerCount + 1` hidden-state indices.
    var layerCount: Int { get }
    /// The width of every hidden state.
    var hiddenSize: Int { get }

    /// Whether the tokens every prompt of a batch begins with can be computed once for all of them (true for causal
    /// attention, where a token's states depend only on the tokens before it).
    var canSharePromptPrefix: Bool { get }

    /// Pooled hidden states of a batch of token sequences.
    ///
    /// - Parameters:
    ///   - batch: token ids, one array per prompt; lengths may differ (no padding artefacts).
    ///   - layers: hidden-state indices in `0...layerCount` to keep, in the order wanted.
    ///   - pooling: how a prompt's token states become one vector.
    ///   - sharingPrefix: compute the prompts' common opening once when ``canSharePromptPrefix``; the states are the
    ///     same up to float rounding either way.
    /// - Returns: one matrix per entry of `layers`: rows = prompts (batch order), columns = ``hiddenSize``.
    func pooledHiddenStates(batch: [[Int]], layers: [Int], pooling: Pooling, sharingPrefix: Bool) throws -> [Matrix]

    /// The LM head with the final norm, for next-token logits and the logit lens (read when asked for).
    ///
    /// - Throws: ``DriftCore/DriftError`` for an encoder, which has none.
    func outputHead() throws -> OutputHead

    /// Whether ``outputHead()`` can give an LM head (a causal model that knows its weights).
    var hasOutputHead: Bool { get }
}

extension HiddenStateModel {
    /// No LM head: a model that does not know its weights (a test double, an encoder) cannot give logits.
    public func outputHead() throws -> OutputHead {
        throw DriftError(.unsupported, "this model has no LM head, so no next-token logits")
    }

    /// No LM head unless the model says so.
    public var hasOutputHead: Bool { false }

    /// Pooled hidden states of a batch, sharing the prompts' common opening where the model can.
    public func pooledHiddenStates(batch: [[Int]], layers: [Int], pooling: Pooling) throws -> [Matrix] {
        try pooledHiddenStates(batch: batch, layers: layers, pooling: pooling, sharingPrefix: true)
    }
}
