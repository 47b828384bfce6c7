import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Computing the opening all prompts of a batch share once (``PackedBatch``) must give every prompt the states it has
/// alone — which the parity tests check against transformers — whatever the prompts: truncated copies, duplicates, a
/// prompt that is all opening but its last token, a sliding window that reaches back into the shared rows, learned
/// positions, partial rotary.
@Suite struct PromptPrefixSharingTests {
    @Test func sharedLengthLeavesEveryPromptATokenOfItsOwn() {
        #expect(PackedBatch.sharedPrefixLength([]) == 0)
        #expect(PackedBatch.sharedPrefixLength([[1, 2, 3]]) == 0)
        #expect(PackedBatch.sharedPrefixLength([[1, 2, 3, 4], [1, 2, 3, 5, 6]]) == 3)
        #expect(PackedBatch.sharedPrefixLength([[1, 2, 3], [1, 2, 3, 4]]) == 2)
        #expect(PackedBatch.sharedPrefixLength([[1, 2, 3], [1, 2, 3]]) == 2)
        #expect(PackedBatch.sharedPrefixLength([[1, 2], [9, 2]]) == 0)
        #expect(PackedBatch.sharedPrefixLength([[1], [1, 2]]) == 0)
        #expect(PackedBatch.sharedPrefixLength([[1, 2, 3, 4], [1, 2, 7, 8], [1, 2, 3, 9]]) == 2)
    }

    @Test func layoutPutsTheSharedRowsFirst() {
        let packed = PackedBatch(batch: [[5, 6, 7, 8], [5, 6, 9]], sharingPrefix: true)
        #expect(packed.prefixLength == 2)
        #expect(packed.tokenIDs == [5, 6, 7, 8, 9])
        #expect(packed.positions == [0, 1, 2, 3, 2])
        #expect(packed.segments.map(\.start) == [0, 2, 4])
        #expect(packed.prompts.map(\.length) == [4, 3])
        #expect(packed.prompts[1].row(atPosition: 1) == 1)
        #expect(packed.prompts[1].row(atPosition: 2) == 4)
        let plain = PackedBatch(batch: [[5, 6, 7, 8], [5, 6, 9]], sharingPrefix: false)
        #expect(plain.prefixLength == 0)
        #expect(plain.tokenIDs == [5, 6, 7, 8, 5, 6, 9])
        #expect(plain.positions == [0, 1, 2, 3, 0, 1, 2])
        #expect(plain.segments == plain.prompts)
        #expect(PackedBatch.rowCount(of: [[5, 6, 7, 8], [5, 6, 9]], sharingPrefix: true) == packed.rowCount)
        #expect(PackedBatch.rowCount(of: [[5, 6, 7, 8], [5, 6, 9]], sharingPrefix: false) == plain.rowCount)
    }

    /// A batch built to hit the edges: the fixture prompts, a copy cut to one token past the opening, a duplicate,
    /// and a prompt that is the shared opening plus its last token.
    static func awkwardBatch(_ prompts: [[Int]]) -> [[Int]] {
        var batch = Array(prompts.prefix(8))
        batch.append(Array(prompts[0].prefix(5)))
        batch.append(prompts[3])
        batch.append(Array(prompts[1].prefix(4)) + [prompts[1].last ?? 0])
        return batch
    }

    @Test(arguments: ["llama", "gemma3", "qwen2", "gpt2", "gpt_neox", "olmo2", "bert"])
    func everyPromptGetsTheStatesItHasAlone(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let model = try fixture.model()
        let batch = Self.awkwardBatch(fixture.index.prompts.map(\.ids))
        let packed = PackedBatch(batch: batch, sharingPrefix: model.canSharePromptPrefix)
        #expect(model.canSharePromptPrefix == (architecture != "bert"))
        // "<bos>The concept of", or as much of it as the fixture's tiny tokenizer keeps apart from the term.
        #expect(architecture == "bert" ? packed.prefixLength == 0 : packed.prefixLength >= 2, "\(architecture)")
        let layers = Array(0...model.layerCount)
        for pooling in [Pooling.last, .mean] {
            let together = try model.pooledHiddenStates(batch: batch, layers: layers, pooling: pooling)
            for (p, prompt) in batch.enumerated() {
                let alone = try model.pooledHiddenStates(
                    batch: [prompt], layers: layers, pooling: pooling, sharingPrefix: false)
                for layer in layers {
                    let comparison = VectorComparison(together[layer].row(p), alone[layer].row(0))
                    #expect(
                        comparison.maxAbsError <= 1e-5 * comparison.maxAbsReference && comparison.cosine >= 0.999999,
                        "\(architecture) \(pooling) prompt \(p) layer \(layer): \(comparison.maxAbsError) of \(comparison.maxAbsReference)"
                    )
                }
            }
        }
    }

    @Test func streamingSharesThePrefixToo() throws {
        let fixture = try ModelFixture("gemma3")
        let inMemory = try fixture.model()
        let batch = Self.awkwardBatch(fixture.index.prompts.map(\.ids))
        let layers = Array(0...inMemory.layerCount)
        let source = try HuggingFaceWeights(
            spec: inMemory.spec, store: try fixture.store(), path: fixture.folder.path)
        let streaming = try StreamingTransformerModel(
            source: source, budget: StreamingExecutionTests.tinyBudget(inMemory.spec, batch: batch, blocksInFlight: 1))
        for pooling in [Pooling.last, .mean] {
            let expected = try inMemory.pooledHiddenStates(batch: batch, layers: layers, pooling: pooling)
            #expect(try streaming.pooledHiddenStates(batch: batch, layers: layers, pooling: pooling) == expected)
        }
    }

    /// The extractor plans batches by the tokens after the opening every prompt shares and counts the rows computed.
    @Test func extractorCountsTheSharedOpeningOnce() throws {
        let checkpoint = try ReferenceCheckpoint("llama")
        let model = try checkpoint.model()
        let prompts = try Extractor(tokenizer: checkpoint.tokenizer, model: model).tokenize(checkpoint.vocabulary)
        let tokens = prompts.reduce(0) { $0 + $1.count }
        let shared = PackedBatch.sharedPrefixLength(prompts)
        #expect(shared == 4)
        // A batch bound of the longest prompt's own tokens: prompts are planned by their tokens after the opening.
        let bound = prompts.map(\.count).max()! - shared + 8
        let on = Extractor(
            tokenizer: checkpoint.tokenizer, model: model, settings: ExtractionSettings(maxBatchTokens: bound))
        let off = Extractor(
            tokenizer: checkpoint.tokenizer, model: model,
            settings: ExtractionSettings(maxBatchTokens: bound, sharesPromptPrefix: false))
        let planOn = on.batchPlan(tokenIDs: prompts)
        #expect(planOn == Extractor.plan(tokenCounts: prompts.map { $0.count - shared }, maxBatchTokens: bound))
        #expect(planOn.count < off.batchPlan(tokenIDs: prompts).count)
        let a = try on.extract(checkpoint.vocabulary)
        let b = try off.extract(checkpoint.vocabulary)
        #expect(a.timings.tokens == tokens && b.timings.tokens == tokens)
        #expect(b.timings.computedTokens == tokens)
        let expectedRows = planOn.reduce(0) { total, batch in
            total + PackedBatch(batch: batch.map { prompts[$0] }, sharingPrefix: true).rowCount
        }
        #expect(a.timings.computedTokens == expectedRows && expectedRows < tokens)
        let comparison = VectorComparison(a.values, b.values)
        #expect(comparison.maxAbsError <= 1e-5 * comparison.maxAbsReference)
    }
}
