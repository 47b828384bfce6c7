import DriftCore
import Foundation
import Testing

@testable import DriftModels

@Suite struct ExtractorTests {
    /// Terms whose prompts have 5 to 9 tokens, in an order that is not sorted by length.
    static let vocabulary: Vocabulary = {
        let terms = [
            "the free market economy", "France", "South Korea", "a b c d e", "water", "Washington D C",
            "x", "quantum field theory", "New York", "y",
        ]
        return
            (try? Vocabulary(
                name: "test", concepts: terms.enumerated().map { Concept(term: $1, category: "c\($0 % 3)") }))
            ?? Vocabulary.seed235
    }()

    @Test func planCoversEveryIndexOnceSortedAndBounded() {
        let counts = [5, 9, 3, 3, 12, 1, 7, 7, 2]
        for bound in [1, 4, 10, 15, 100] {
            let batches = Extractor.plan(tokenCounts: counts, maxBatchTokens: bound)
            let flat = batches.flatMap { $0 }
            #expect(flat.sorted() == Array(counts.indices))
            #expect(zip(flat, flat.dropFirst()).allSatisfy { (counts[$0], $0) < (counts[$1], $1) })
            for batch in batches where batch.count > 1 {
                #expect(batch.reduce(0) { $0 + counts[$1] } <= bound)
            }
        }
        #expect(Extractor.plan(tokenCounts: counts, maxBatchTokens: 100).count == 1)
        #expect(Extractor.plan(tokenCounts: counts, maxBatchTokens: 1).count == counts.count)
    }

    @Test(arguments: [1, 7, 16, 30, 100_000])
    func resultsAreInVocabularyOrderWhateverTheBatchSize(maxBatchTokens: Int) throws {
        let model = FakeModel()
        let settings = ExtractionSettings(layers: .all, maxBatchTokens: maxBatchTokens)
        let extractor = Extractor(tokenizer: WordTokenizer(), model: model, settings: settings)
        let set = try extractor.extract(Self.vocabulary)
        #expect(set.layers == [0, 1, 2, 3])
        #expect(set.values.count == 4 * Self.vocabulary.count * 8)
        let tokenizer = WordTokenizer()
        for (row, concept) in Self.vocabulary.concepts.enumerated() {
            let ids = tokenizer.encode("The concept of \(concept.term) is", addSpecialTokens: true)
            #expect(set.tokenIDs[row] == ids)
            #expect(set.tokenCounts[row] == ids.count)
            for (position, layer) in set.layers.enumerated() {
                let expected = FakeModel.vector(ids: ids, layer: layer, pooling: .last, hiddenSize: 8)
                #expect(set.matrix(atLayerPosition: position).row(row) == expected)
            }
        }
        // Batches were sorted by length and bounded by the token budget.
        let lengths = model.batches.flatMap { $0.map(\.count) }
        #expect(lengths == lengths.sorted())
        for batch in model.batches where batch.count > 1 {
            #expect(batch.reduce(0) { $0 + $1.count } <= maxBatchTokens)
        }
        #expect(set.timings.tokens == set.tokenCounts.reduce(0, +))
        #expect(set.timings.batches == model.batches.count)
    }

    @Test func selectedLayersAndMeanPoolingReachTheModel() throws {
        let settings = ExtractionSettings(pooling: .mean, layers: .indices([3, 1]), maxBatchTokens: 20)
        let set = try Extractor(tokenizer: WordTokenizer(), model: FakeModel(), settings: settings).extract(
            Self.vocabulary)
        #expect(set.layers == [1, 3])
        let ids = WordTokenizer().encode("The concept of water is", addSpecialTokens: true)
        let row = try #require(Self.vocabulary.terms.firstIndex(of: "water"))
        #expect(
            set.matrix(atLayerPosition: 1).row(row)
                == FakeModel.vector(ids: ids, layer: 3, pooling: .mean, hiddenSize: 8))
        #expect(throws: DriftError.self) {
            try Extractor(
                tokenizer: WordTokenizer(), model: FakeModel(), settings: ExtractionSettings(layers: .indices([4]))
            )
            .extract(Self.vocabulary)
        }
    }

    @Test func progressReportsEveryBatch() throws {
        var reports: [ExtractionProgress] = []
        let settings = ExtractionSettings(maxBatchTokens: 16)
        let set = try Extractor(tokenizer: WordTokenizer(), model: FakeModel(), settings: settings)
            .extract(Self.vocabulary) { reports.append($0) }
        #expect(reports.first?.conceptsDone == 0)
        #expect(reports.last?.conceptsDone == Self.vocabulary.count)
        #expect(reports.last?.tokensDone == set.timings.tokens)
        #expect(reports.count == set.timings.batches + 1)
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.conceptsDone < $1.conceptsDone })
    }

    @Test func termThatTokenisesToNothingIsNamed() throws {
        let vocabulary = try Vocabulary(
            name: "v", concepts: [Concept(term: "France"), Concept(term: "\u{200B}\u{200B}")])
        let settings = ExtractionSettings(template: try PromptTemplate("{term}"), addSpecialTokens: false)
        let error = try #require(throws: DriftError.self) {
            try Extractor(tokenizer: WordTokenizer(), model: FakeModel(), settings: settings).extract(vocabulary)
        }
        #expect(error.message.contains(#""\u{200B}\u{200B}""#) && error.message.contains("tokenises to nothing"))
    }

    @Test func nonFiniteHiddenStateIsNamed() throws {
        let model = FakeModel()
        model.poisonedTerm = WordTokenizer().encode("The concept of water is", addSpecialTokens: true)
        let error = try #require(throws: DriftError.self) {
            try Extractor(tokenizer: WordTokenizer(), model: model).extract(Self.vocabulary)
        }
        #expect(error.message.contains(#""water""#) && error.message.contains("layer 3"))
    }
}
