import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Next-token logits and the logit lens against transformers (`Scripts/fixtures/logits.py`) on every causal fixture:
/// the logits at the last prompt token, and the top token each layer's state reads as through the final norm and the
/// LM head.
@Suite struct OutputHeadParityTests {
    static let causalArchitectures = [
        "llama", "mistral", "qwen2", "gemma3", "olmo", "olmo2", "gpt_neox", "gpt2", "qwen3", "qwen3_moe", "mixtral",
        "olmoe", "gemma2", "granite", "smollm3", "olmo3", "phi3", "gpt_oss",
    ]

    struct Lens: Decodable {
        struct Entry: Decodable {
            let top: Int
            let gap: Double
        }
        let layers: Int
        let lens: [[Entry]]
    }

    static func fixtureURL(_ name: String) throws -> URL {
        guard let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw DriftError(.missing, "test fixtures are missing from the bundle")
        }
        return root.appendingPathComponent("logits").appendingPathComponent(name)
    }

    /// The logits of `model` for every fixture prompt, from its last hidden state, checked against transformers'.
    static func checkLogits(_ model: any HiddenStateModel, fixture: ModelFixture, label: String) throws {
        let expected = try ModelFixture.readNpy(try fixtureURL("\(fixture.index.architecture).npy"))
        let batch = fixture.index.prompts.map(\.ids)
        let last = try model.pooledHiddenStates(batch: batch, layers: [model.layerCount], pooling: .last)[0]
        let head = try model.outputHead()
        let logits = head.logits(last, normalizing: false)
        let vocabulary = head.vocabularySize
        #expect(expected.count == batch.count * vocabulary)
        var worstCosine = 1.0
        var worstScaled: Float = 0
        for p in batch.indices {
            let reference = Array(expected[(p * vocabulary)..<((p + 1) * vocabulary)])
            let comparison = VectorComparison(logits.row(p), reference)
            let scale = reference.map(abs).max() ?? 1
            let error = zip(logits.row(p), reference).map { abs($0 - $1) }.max() ?? 0
            worstCosine = min(worstCosine, comparison.cosine)
            worstScaled = max(worstScaled, error / scale)
        }
        #expect(worstCosine >= 0.99999, "\(label): min cosine \(worstCosine)")
        #expect(worstScaled <= 1e-4, "\(label): max abs error \(worstScaled) × max|ref|")
        print("logits \(label): min cosine \(worstCosine), max abs error \(worstScaled) × max|ref|")
    }

    @Test(arguments: causalArchitectures)
    func nextTokenLogitsMatchTransformers(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        try Self.checkLogits(try fixture.model(), fixture: fixture, label: architecture)
    }

    /// The streamed model reads its head from the weight files and gives the same logits.
    @Test(arguments: ["llama", "gpt_neox", "gemma2", "qwen3_moe", "gpt_oss"])
    func streamedModelHasTheSameHead(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let spec = try ArchitectureSpec(configFile: fixture.folder.path)
        let source = try HuggingFaceWeights(spec: spec, store: try fixture.store(), path: fixture.folder.path)
        let streaming = try StreamingTransformerModel(
            source: source, budget: MemoryBudget(bytes: 64 << 20))
        try Self.checkLogits(streaming, fixture: fixture, label: "\(architecture) streamed")
    }

    @Test(arguments: causalArchitectures)
    func logitLensTopTokenMatchesTransformers(architecture: String) throws {
        let fixture = try ModelFixture(architecture)
        let model = try fixture.model()
        let lens = try JSONDecoder().decode(
            Lens.self, from: Data(contentsOf: try Self.fixtureURL("\(architecture)-lens.json")))
        let batch = fixture.index.prompts.map(\.ids)
        let layers = Array(0...model.layerCount)
        let states = try model.pooledHiddenStates(batch: batch, layers: layers, pooling: .last)
        let head = try model.outputHead()
        var compared = 0
        for layer in layers {
            // The last state is already normed; every other one goes through the final norm first.
            let top = head.topTokens(states[layer], normalizing: layer < model.layerCount, k: 2)
            for p in batch.indices where lens.lens[p][layer].gap > 1e-3 {
                #expect(top[p][0].id == lens.lens[p][layer].top, "\(architecture) layer \(layer) prompt \(p)")
                compared += 1
            }
        }
        #expect(compared > batch.count * layers.count / 2, "\(architecture): only \(compared) clear top tokens")
    }

    @Test func topTokensAreTheLargestWithSoftmaxProbabilities() {
        let logits: [Float] = [0.5, 2, -1, 2, 1.5]
        let top = OutputHead.top(logits, k: 3)
        #expect(top.map(\.id) == [1, 3, 4])  // the tie goes to the lower id
        let total = logits.map { Foundation.exp(Double($0)) }.reduce(0, +)
        #expect(abs(top[0].probability - Foundation.exp(2.0) / total) < 1e-12)
    }

    /// Skipping the exponentials that round to zero changes nothing: one-hot rows (gaps of hundreds) give exactly
    /// the probabilities of summing every term.
    @Test func farTailsAddNothingToTheNormaliser() {
        var logits = [Float](repeating: -900, count: 1000)
        logits[7] = 0
        logits[8] = -700  // exp(-700) is a normal Double: counted
        logits[9] = -745  // subnormal: counted as 0, which leaves the sum as it is
        logits[10] = -30
        let top = OutputHead.top(logits, k: 4)
        #expect(top.map(\.id) == [7, 10, 8, 9])
        var total = 0.0
        for value in logits { total += Foundation.exp(Double(value)) }
        for candidate in top {
            #expect(candidate.probability == Foundation.exp(Double(logits[candidate.id])) / total)
        }
    }

    /// Rows of several inputs stacked into blocks (each input normed or not) give every row once, in order, with the
    /// logits of that input on its own; the rows' top tokens in parallel equal them one by one.
    @Test func stackedBlocksGiveEachInputsLogits() throws {
        let fixture = try ModelFixture("llama")
        let model = try fixture.model()
        let batch = fixture.index.prompts.map(\.ids)
        let states = try model.pooledHiddenStates(batch: batch, layers: [0, 1, model.layerCount], pooling: .last)
        let head = try model.outputHead()
        let inputs = [(states[0], true), (states[1].rows(0..<3), true), (states[2], false)]
        let expected = inputs.map { head.logits($0.0, normalizing: $0.1) }
        var visited: [(Int, Int)] = []
        var scratch: [Float] = []
        var worst: Float = 0
        head.forEachBlockOfLogits(inputs, rowsPerBlock: 5, scratch: &scratch) { sources, logits in
            let vocabulary = head.vocabularySize
            #expect(sources.count <= 5 && logits.count == sources.count * vocabulary)
            let tops = OutputHead.topOfEachRow(logits, columns: vocabulary, k: 3)
            for (index, source) in sources.enumerated() {
                visited.append((source.input, source.row))
                let row = Array(logits[(index * vocabulary)..<((index + 1) * vocabulary)])
                let reference = expected[source.input].row(source.row)
                let scale = reference.map(abs).max() ?? 1
                worst = max(worst, zip(row, reference).map { abs($0 - $1) / scale }.max() ?? 0)
                #expect(tops[index] == OutputHead.top(row, k: 3))
            }
        }
        let order = inputs.enumerated().flatMap { index, input in (0..<input.0.rows).map { (index, $0) } }
        #expect(visited.map(\.0) == order.map(\.0) && visited.map(\.1) == order.map(\.1))
        #expect(worst <= 1e-6, "largest difference \(worst) of the row's largest logit")
    }

    /// Equal rows (the lens's layer-0 states, one token's embedding for every prompt) are projected once per block:
    /// every row still gets its own logits, the same as projecting it alone.
    @Test func equalRowsAreProjectedOnceAndGivenToEach() throws {
        let fixture = try ModelFixture("llama")
        let model = try fixture.model()
        let states = try model.pooledHiddenStates(
            batch: fixture.index.prompts.map(\.ids), layers: [model.layerCount], pooling: .last)[0]
        let head = try model.outputHead()
        let picks = [0, 1, 0, 2, 1, 1, 0, 2, 2]
        let stacked = Matrix(
            rows: picks.count, columns: states.columns, storage: picks.flatMap { states.row($0) })
        var scratch: [Float] = []
        var seen = 0
        head.forEachBlockOfLogits([(stacked, false)], rowsPerBlock: 4, scratch: &scratch) { sources, logits in
            let vocabulary = head.vocabularySize
            for (index, source) in sources.enumerated() {
                let row = Array(logits[(index * vocabulary)..<((index + 1) * vocabulary)])
                let alone = head.logits(states.rows(picks[source.row]..<(picks[source.row] + 1)), normalizing: false)
                let comparison = VectorComparison(row, alone.row(0))
                #expect(comparison.relativeError <= 1e-6, "row \(source.row): \(comparison.relativeError)")
                seen += 1
            }
        }
        #expect(seen == picks.count)
    }

    @Test func distinctRowsMoveToTheFrontAndSpreadBack() {
        // Rows of width 2: A B A C B B → distinct A B C at the front; first copies 0 1 0 2 1 1.
        var block: [Float] = [1, 1, 2, 2, 1, 1, 3, 3, 2, 2, 2, 2]
        let firsts = OutputHead.compactDistinctRows(&block, rows: 6, width: 2)
        #expect(firsts == [0, 1, 0, 2, 1, 1])
        #expect(Array(block.prefix(6)) == [1, 1, 2, 2, 3, 3])
        // "Logits" of the distinct rows, three columns each, spread back to all six rows.
        var logits: [Float] = [10, 11, 12, 20, 21, 22, 30, 31, 32] + [Float](repeating: -1, count: 9)
        logits.withUnsafeMutableBufferPointer { OutputHead.expandRows($0, columns: 3, from: firsts) }
        #expect(logits == [10, 11, 12, 20, 21, 22, 10, 11, 12, 30, 31, 32, 20, 21, 22, 20, 21, 22])
    }

    /// A bf16 checkpoint's head (here the tied token table) is held in bf16 for the float32 kernel, and its logits —
    /// of the last state and, through the final norm, of the embedding layer — equal BLAS's on the widened table to
    /// float32 rounding (the two sum in different orders); BLAS's head is the one checked against transformers above.
    @Test(.enabled(if: LinearWeights.usesF32Kernel, "no AVX-512F: the head stays on BLAS"))
    func aBF16HeadRunsOnTheFloat32Kernel() throws {
        let fixture = try ModelFixture("llama-bf16")
        let model = try fixture.model()
        let head = try model.outputHead()
        guard case .packed(let packed) = head.projection, case .bfloat16 = packed.values else {
            Issue.record("the bf16 head is not packed in bf16 for the float32 kernel")
            return
        }
        let blas = OutputHead(
            weight: packed.matrix, finalNorm: head.finalNorm, normKind: head.normKind, normEpsilon: head.normEpsilon,
            softcap: head.softcap, divisor: head.divisor)
        let states = try model.pooledHiddenStates(
            batch: fixture.index.prompts.map(\.ids), layers: [0, model.layerCount], pooling: .last)
        for (layer, normalizing) in [(states[0], true), (states[1], false)] {
            let kernel = head.logits(layer, normalizing: normalizing)
            let reference = blas.logits(layer, normalizing: normalizing)
            #expect(kernel.rows == layer.rows && kernel.columns == head.vocabularySize)
            for row in 0..<layer.rows {
                let comparison = VectorComparison(kernel.row(row), reference.row(row))
                #expect(comparison.relativeError <= 1e-5, "row \(row): \(comparison.relativeError)")
            }
        }
    }

    @Test func anEncoderHasNoHead() throws {
        let error = try #require(throws: DriftError.self) { _ = try ModelFixture("bert").model().outputHead() }
        #expect(error.description.contains("encoder"))
    }
}
