/// How the prompts of one batch become the rows of the forward pass's matrices.
///
/// In a causal model a token's hidden states depend only on the tokens before it, so the tokens that every prompt of
/// the batch begins with (the template's opening, such as `<bos>The concept of`) have the same states in every
/// prompt. With ``init(batch:sharingPrefix:)`` sharing on they are computed once: rows `0..<prefixLength` hold them,
/// then each prompt's remaining tokens follow, attending to those shared rows before their own. Without a shared
/// prefix the prompts' tokens simply follow one another, as transformers would see each prompt alone.
package struct PackedBatch: Sendable, Equatable {
    /// A run of rows that attends as one sequence: `context` shared rows (rows `0..<context`, positions
    /// `0..<context`) come before its own rows `start..<start + count` (positions `context..<context + count`).
    package struct Segment: Sendable, Equatable {
        package var start: Int
        package var count: Int
        package var context: Int

        /// The row holding the token at `position` of this segment's sequence.
        @inline(__always)
        package func row(atPosition position: Int) -> Int {
            position < context ? position : start + position - context
        }

        /// The sequence's length: shared rows plus its own.
        package var length: Int { context + count }
    }

    /// Rows computed once for every prompt (0 when nothing is shared).
    package let prefixLength: Int
    /// The token id of every row.
    package let tokenIDs: [Int]
    /// The position of every row within its prompt.
    package let positions: [Int]
    /// The attention units, in row order: the shared prefix (when there is one), then one per prompt.
    package let segments: [Segment]
    /// One segment per prompt, in batch order; a prompt's tokens are its shared rows followed by its own.
    package let prompts: [Segment]

    /// Lays out `batch`; with `sharingPrefix`, the prompts' common opening (see ``sharedPrefixLength(_:)``) once.
    package init(batch: [[Int]], sharingPrefix: Bool) {
        let shared = sharingPrefix ? Self.sharedPrefixLength(batch) : 0
        var ids: [Int] = []
        var positions: [Int] = []
        var segments: [Segment] = []
        var prompts: [Segment] = []
        ids.reserveCapacity(batch.reduce(0) { $0 + $1.count } - max(0, batch.count - 1) * shared)
        if shared > 0, let first = batch.first {
            ids.append(contentsOf: first[0..<shared])
            positions.append(contentsOf: 0..<shared)
            segments.append(Segment(start: 0, count: shared, context: 0))
        }
        for prompt in batch {
            let own = Segment(start: ids.count, count: prompt.count - shared, context: shared)
            ids.append(contentsOf: prompt[shared...])
            positions.append(contentsOf: shared..<prompt.count)
            segments.append(own)
            prompts.append(own)
        }
        prefixLength = shared
        tokenIDs = ids
        self.positions = positions
        self.segments = segments
        self.prompts = prompts
    }

    /// The rows of the batch's matrices.
    package var rowCount: Int { tokenIDs.count }

    /// The rows `PackedBatch(batch:sharingPrefix:)` would have, without laying the batch out.
    package static func rowCount(of batch: [[Int]], sharingPrefix: Bool) -> Int {
        let shared = sharingPrefix ? sharedPrefixLength(batch) : 0
        return batch.reduce(0) { $0 + $1.count } - max(0, batch.count - 1) * shared
    }

    /// The longest prompt, in tokens.
    package var longestPrompt: Int { prompts.map(\.length).max() ?? 0 }

    /// How many leading tokens every prompt of `batch` shares, leaving each prompt at least one token of its own (so
    /// that its last token has a row of its own); 0 for fewer than two prompts.
    package static func sharedPrefixLength(_ batch: [[Int]]) -> Int {
        guard batch.count >= 2, let first = batch.first else { return 0 }
        var shared = batch.map(\.count).min() ?? 0
        shared -= 1
        for prompt in batch.dropFirst() where shared > 0 {
            var i = 0
            while i < shared && prompt[i] == first[i] { i += 1 }
            shared = i
        }
        return max(0, shared)
    }
}
