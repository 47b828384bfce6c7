import DriftCore
import Foundation
import TestSupport
import Testing

/// A run made by the real `compare` on the runtime's fixture checkpoints (three variants: float32, bfloat16 weights,
/// and the float32 model quantized on load with `@nf4`), plus what the real `extract` writes for terms the run
/// lacks — the reference for live mode.
enum LiveFixtureRun {
    static let variants = ["base", "bf16", "nf4"]
    /// Terms the run does not hold, extracted separately by `extract` into `reference/`.
    static let newTerms = ["volcano", "glacier", "Tokyo", "tundra", "harbour", "lantern"]
    /// The term also extracted alone (`reference-single/`).
    static let singleTerm = "volcano"

    static var models: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DriftModelsTests/Fixtures/models")
    }

    /// The folder holding `run/` and `reference/`, built once per process.
    static let folder: Result<URL, any Error> = Result { try build() }

    static var run: URL { get throws { try folder.get().appendingPathComponent("run") } }

    /// The fixture llama's 22 prompt terms, in three categories.
    static func terms() throws -> [(String, String)] {
        let data = try Data(contentsOf: models.appendingPathComponent("llama/expected.json"))
        let index = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let prompts = try #require(index["prompts"] as? [[String: Any]])
        let terms = prompts.compactMap {
            ($0["text"] as? String)?.replacingOccurrences(of: "The concept of ", with: "")
                .replacingOccurrences(of: " is", with: "")
        }
        return terms.enumerated().map { ($1, ["alpha", "beta", "gamma"][$0 % 3]) }
    }

    static func build() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("explorer-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let vocabulary = folder.appendingPathComponent("vocab.csv")
        try Data(("term,category\n" + (try terms()).map { "\"\($0.0)\",\($0.1)\n" }.joined()).utf8).write(
            to: vocabulary)
        let llama = models.appendingPathComponent("llama").path
        let outcome = try ExecutableRunner.run([
            "compare", "base=\(llama)", "bf16=\(models.appendingPathComponent("llama-bf16").path)", "nf4=\(llama)@nf4",
            "--vocab", vocabulary.path, "--out", folder.appendingPathComponent("run").path, "--quiet",
            "--bootstrap", "200", "--permutations", "200", "--umap-epochs", "100", "--next-token", "--logit-lens", "3",
        ])
        try #require(outcome.status == 0, "compare failed: \(outcome.stderr)")
        let newVocabulary = folder.appendingPathComponent("new.csv")
        try Data(("term,category\n" + newTerms.map { "\($0),new\n" }.joined()).utf8).write(to: newVocabulary)
        let singleVocabulary = folder.appendingPathComponent("single.csv")
        try Data("term,category\n\(singleTerm),new\n".utf8).write(to: singleVocabulary)
        for (name, model) in [
            ("base", llama), ("bf16", models.appendingPathComponent("llama-bf16").path), ("nf4", "\(llama)@nf4"),
        ] {
            let extract = try ExecutableRunner.run([
                "extract", model, "--vocab", newVocabulary.path, "--out",
                folder.appendingPathComponent("reference").path,
                "--name", name, "--quiet",
            ])
            try #require(extract.status == 0, "extract failed: \(extract.stderr)")
            // One term alone: the batch of one live mode runs, so the vectors must be identical.
            let single = try ExecutableRunner.run([
                "extract", model, "--vocab", singleVocabulary.path, "--out",
                folder.appendingPathComponent("reference-single").path, "--name", name, "--quiet",
                "--next-token", "--logit-lens", "10",
            ])
            try #require(single.status == 0, "extract failed: \(single.stderr)")
        }
        return folder
    }

    /// A private copy of the run (tests that embed write its live cache).
    static func copy() throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent(
            "explorer-live-run-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: try run, to: target)
        return target
    }

    /// `extract`'s vectors of the new terms for `variant` (all in one batch): layers × terms × hidden.
    static func reference(_ variant: String) throws -> NumpyArray {
        try NumpyArray(contentsOf: try folder.get().appendingPathComponent("reference/hidden_\(variant).npy"))
    }

    /// `extract`'s vectors of ``singleTerm`` extracted alone: layers × 1 × hidden.
    static func single(_ variant: String) throws -> NumpyArray {
        try NumpyArray(contentsOf: try folder.get().appendingPathComponent("reference-single/hidden_\(variant).npy"))
    }

    /// The run's stored vectors of `variant`: layers × concepts × hidden.
    static func stored(_ variant: String) throws -> NumpyArray {
        try NumpyArray(contentsOf: try run.appendingPathComponent("hidden_\(variant).npy"))
    }
}
