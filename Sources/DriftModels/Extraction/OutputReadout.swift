public import Foundation

/// What an extraction reads through the model's LM head besides the hidden states.
public struct OutputReadout: Sendable, Equatable {
    /// Keep every concept's next-token logits at the last prompt token (what transformers returns as
    /// `logits[:, -1]`), computed from the full pass whatever layers are kept.
    public var nextTokenLogits: Bool
    /// Keep, for every kept layer and concept, the `k` most likely next tokens when that layer's state is read
    /// through the final norm and the LM head (the logit lens); nil for none.
    public var logitLensTop: Int?
    /// With the lens on: a scratch file into which every kept layer's lens logits are spilled (float32, layers ×
    /// concepts × vocabulary, see `LensLogitsFile`), for comparing two variants' lens distributions; nil for none.
    public var lensLogitsFile: URL?

    /// Creates a readout.
    public init(nextTokenLogits: Bool = false, logitLensTop: Int? = nil, lensLogitsFile: URL? = nil) {
        self.nextTokenLogits = nextTokenLogits
        self.logitLensTop = logitLensTop
        self.lensLogitsFile = lensLogitsFile
    }

    /// Nothing read through the head.
    public static let none = OutputReadout()

    /// Whether anything is read through the head.
    public var isEmpty: Bool { !nextTokenLogits && logitLensTop == nil }
}

/// One row of the logit lens: a concept's `rank`-th most likely next token when the state of hidden-state index
/// `layer` is read through the final norm and the LM head.
public struct LogitLensEntry: Sendable, Equatable {
    /// The hidden-state index (Hugging Face numbering).
    public var layer: Int
    /// The concept's row in the vocabulary.
    public var concept: Int
    /// 1 for the most likely token.
    public var rank: Int
    /// The token.
    public var tokenID: Int
    /// Its softmax probability over the whole vocabulary.
    public var probability: Double
}
