import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// An extraction's next-token logits and logit lens: the concepts of the fixture prompts through the reference
/// template, against transformers' logits (`Scripts/fixtures/logits.py`), whatever layers are kept.
@Suite struct OutputReadoutTests {
    /// The 22 fixture prompts' terms, in the fixture's prompt order.
    static func vocabulary(_ fixture: ModelFixture) throws -> Vocabulary {
        let terms = fixture.index.prompts.map { prompt in
            String(prompt.text.dropFirst("The concept of ".count).dropLast(" is".count))
        }
        return try Vocabulary(name: "fixture", concepts: terms.map { Concept(term: $0) })
    }

    static func extractor(_ fixture: ModelFixture, layers: LayerSelection, pooling: Pooling = .last) throws -> Extractor
    {
        Extractor(
            tokenizer: try TokenizerLoader.load(folder: fixture.folder), model: try fixture.model(),
            settings: ExtractionSettings(pooling: pooling, layers: layers, maxBatchTokens: 64))
    }

    @Test(arguments: [("llama", LayerSelection.indices([0])), ("gemma2", .all), ("qwen3_moe", .last)])
    func nextTokenLogitsEqualTransformersWhateverLayersAreKept(architecture: String, layers: LayerSelection) throws {
        let fixture = try ModelFixture(architecture)
        let vocabulary = try Self.vocabulary(fixture)
        let set = try Self.extractor(fixture, layers: layers).extract(
            vocabulary, readout: OutputReadout(nextTokenLogits: true))
        #expect(set.tokenIDs == fixture.index.prompts.map(\.ids))
        let logits = try #require(set.nextTokenLogits)
        let expected = try ModelFixture.readNpy(try OutputHeadParityTests.fixtureURL("\(architecture).npy"))
        #expect(logits.rows == vocabulary.count)
        for p in 0..<vocabulary.count {
            let reference = Array(expected[(p * logits.columns)..<((p + 1) * logits.columns)])
            let comparison = VectorComparison(logits.row(p), reference)
            #expect(comparison.cosine >= 0.99999, "\(architecture) concept \(p): cosine \(comparison.cosine)")
            // The ten next tokens: transformers' most likely tokens (where the reference's own order is clear) with
            // its softmax probabilities.
            let next = try #require(set.nextTokens).filter { $0.concept == p }
            #expect(next.map(\.rank) == Array(1...10) && next.allSatisfy { $0.layer == fixture.index.layers })
            let maximum = Double(reference.max() ?? 0)
            let total = reference.reduce(0.0) { $0 + exp(Double($1) - maximum) }
            let order = reference.indices.sorted { reference[$0] > reference[$1] }
            for (r, entry) in next.enumerated() {
                let clear =
                    (r == 0 || reference[order[r - 1]] - reference[order[r]] > 1e-3)
                    && reference[order[r]] - reference[order[r + 1]] > 1e-3
                if clear { #expect(entry.tokenID == order[r], "\(architecture) concept \(p) rank \(r + 1)") }
                let probability = exp(Double(reference[entry.tokenID]) - maximum) / total
                #expect(abs(entry.probability - probability) <= 1e-5, "\(architecture) concept \(p) rank \(r + 1)")
            }
        }
        #expect(set.logitLens == nil)
    }

    @Test func logitLensKeepsTheTopTokensOfEveryKeptLayer() throws {
        let fixture = try ModelFixture("olmo2")
        let vocabulary = try Self.vocabulary(fixture)
        let set = try Self.extractor(fixture, layers: .all).extract(vocabulary, readout: OutputReadout(logitLensTop: 3))
        let lens = try #require(set.logitLens)
        let layers = fixture.index.layers + 1
        #expect(lens.count == layers * vocabulary.count * 3)
        let reference = try JSONDecoder().decode(
            OutputHeadParityTests.Lens.self,
            from: Data(contentsOf: try OutputHeadParityTests.fixtureURL("olmo2-lens.json")))
        for entry in lens where entry.rank == 1 {
            let expected = reference.lens[entry.concept][entry.layer]
            if expected.gap > 1e-3 { #expect(entry.tokenID == expected.top, "layer \(entry.layer) \(entry.concept)") }
        }
        // Probabilities fall with rank and lie in (0, 1].
        for chunk in stride(from: 0, to: lens.count, by: 3) {
            #expect(lens[chunk].probability >= lens[chunk + 1].probability)
            #expect(lens[chunk].probability <= 1 && lens[chunk + 2].probability > 0)
        }
        #expect(set.nextTokenLogits == nil)
    }

    @Test func meanPoolingIsRefused() throws {
        let fixture = try ModelFixture("llama")
        let error = try #require(throws: DriftError.self) {
            _ = try Self.extractor(fixture, layers: .last, pooling: .mean).extract(
                try Self.vocabulary(fixture), readout: OutputReadout(nextTokenLogits: true))
        }
        #expect(error.description.contains("--pooling last"))
    }
}
