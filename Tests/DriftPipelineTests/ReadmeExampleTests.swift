import DriftAnalysis
import DriftModels
import Foundation
import Testing

/// The README's Swift example, compiled and run here so that it cannot rot: the code between the markers is the
/// README's block, character for character (indented by eight spaces here).
@Suite struct ReadmeExampleTests {
    /// The repository's root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The README example, over two model folders.
    static func example(basePath: String, tunedPath: String) throws -> PairAnalysis {
        // README example begins
        // Load a model: a Hugging Face checkpoint folder, a .gguf file, or a Hub id ("hf:owner/name"),
        // optionally quantized on load ("…@nf4", "…@q8_0").
        let base = try LoadedCheckpoint.load(basePath)
        let tuned = try LoadedCheckpoint.load(tunedPath)

        // A vocabulary: concepts with categories (or `try Vocabulary.load("seed-235")`, the bundled 235).
        let vocabulary = try Vocabulary(
            name: "mine",
            concepts: [
                Concept(term: "France", category: "place"), Concept(term: "water", category: "matter"),
                Concept(term: "democracy", category: "idea"), Concept(term: "Einstein", category: "person"),
                Concept(term: "virus", category: "matter"), Concept(term: "shame", category: "idea"),
            ])

        // Every concept's hidden state at every layer ("The concept of {term} is", last token).
        let a = try Extractor(tokenizer: base.tokenizer, model: base.model).extract(vocabulary)
        let b = try Extractor(tokenizer: tuned.tokenizer, model: tuned.model).extract(vocabulary)

        // How the concepts moved between the two models at the last layer (rows = concepts).
        let last = a.layers.count - 1
        var options = PairAnalysis.Options()
        options.k = 3
        let pair = try PairAnalysis(
            a.matrix(atLayerPosition: last), b.matrix(atLayerPosition: last),
            conceptNames: vocabulary.terms, categoryNames: vocabulary.concepts.map(\.category),
            variants: ("base", "tuned"), layer: a.layers[last], options: options)
        print("mean drift \(pair.global.meanDrift), CKA \(pair.global.cka)")
        for row in pair.concepts.sorted(by: { $0.cosineDistance > $1.cosineDistance }).prefix(3) {
            print(row.concept, row.cosineDistance)
        }
        // README example ends
        return pair
    }

    @Test func theExampleRunsOnTwoFixtureModels() throws {
        let models = Self.root.appendingPathComponent("Tests/DriftModelsTests/Fixtures/models")
        let pair = try Self.example(
            basePath: models.appendingPathComponent("llama").path,
            tunedPath: models.appendingPathComponent("mistral").path)
        #expect(pair.concepts.count == 6)
        #expect(pair.global.meanDrift.isFinite && pair.global.meanDrift > 0)
        #expect(pair.global.cka > 0 && pair.global.cka <= 1 + 1e-9)
    }

    @Test func theReadmeShowsExactlyThisCode() throws {
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let lines = source.components(separatedBy: "\n")
        let begin = try #require(lines.firstIndex { $0.hasSuffix("// README example " + "begins") })
        let end = try #require(lines.firstIndex { $0.hasSuffix("// README example " + "ends") })
        let code = lines[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        let block = "```swift\nimport DriftAnalysis\nimport DriftModels\n\n" + code.joined(separator: "\n") + "\n```"
        #expect(readme.contains(block), "README.md must hold, verbatim:\n\(block)")
    }
}
