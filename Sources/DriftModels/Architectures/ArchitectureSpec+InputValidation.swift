import DriftCore

extension ArchitectureSpec {
    /// Checks a batch of token-id prompts and the requested hidden-state indices against this architecture before
    /// any weight is touched: indices within `0...layerCount`, no empty prompt, ids inside the vocabulary, and no
    /// prompt longer than the learned position table.
    ///
    /// Shared by the in-memory and the streaming model.
    ///
    /// - Throws: ``DriftCore/DriftError`` of kind `.invalidArgument` naming the prompt or index.
    func validateInput(batch: [[Int]], layers: [Int]) throws {
        for layer in layers where !(0...layerCount).contains(layer) {
            throw DriftError(
                .invalidArgument, "hidden-state index \(layer) is out of range; the model has 0...\(layerCount)")
        }
        for (index, prompt) in batch.enumerated() {
            guard !prompt.isEmpty else {
                throw DriftError(.invalidArgument, "prompt \(index) has no tokens")
            }
            if let bad = prompt.first(where: { $0 < 0 || $0 >= vocabularySize }) {
                throw DriftError(
                    .invalidArgument,
                    "prompt \(index) has token id \(bad), outside the vocabulary of \(vocabularySize)")
            }
            if let limit = learnedPositions, prompt.count > limit {
                throw DriftError(
                    .invalidArgument,
                    "prompt \(index) has \(prompt.count) tokens; this model has learned positions for \(limit)")
            }
        }
    }
}
