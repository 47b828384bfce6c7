import DriftCore
import Foundation
import TestSupport
import Testing

/// `embedding-drift extract` end to end: the real executable on the runtime's fixture checkpoints
/// (`Tests/DriftModelsTests/Fixtures/models`, written by `Scripts/fixtures/models.py` with transformers).
@Suite struct ExtractTests {
    /// The fixture checkpoint `name` (found from this file's path: the CLI test target has no resources of its own).
    static func checkpoint(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("DriftModelsTests/Fixtures/models/\(name)")
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("drift-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The fixture's prompts' terms, written as a vocabulary file, and transformers' index.
    static func vocabularyFile(for model: URL, in folder: URL) throws -> (
        url: URL, terms: [String], index: [String: Any]
    ) {
        let index = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: model.appendingPathComponent("expected.json")))
                as? [String: Any])
        let prompts = try #require(index["prompts"] as? [[String: Any]])
        let terms = prompts.compactMap {
            ($0["text"] as? String)?.replacingOccurrences(of: "The concept of ", with: "").replacingOccurrences(
                of: " is", with: "")
        }
        let url = folder.appendingPathComponent("terms.csv")
        try Data(("term,category\n" + terms.map { "\"\($0)\",fixture\n" }.joined()).utf8).write(to: url)
        return (url, terms, index)
    }

    static func cosine(_ a: ArraySlice<Float>, _ b: ArraySlice<Float>) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / (na * nb).squareRoot()
    }

    /// OpenBLAS (`EMBEDDING_DRIFT_F32_KERNEL=blas`) and the AVX-512 float32 kernel agree to float32 rounding.
    ///
    /// The kernel reads a float32 checkpoint's weights in place and holds a bf16 one's in bf16; the two sum in
    /// different orders, so the hidden states and the next-token logits differ only in their last bits. On a CPU
    /// without AVX-512F both runs use OpenBLAS and agree exactly.
    @Test(arguments: ["llama", "llama-bf16"])
    func openBLASAndTheFloat32KernelAgree(name: String) throws {
        let model = Self.checkpoint(name)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (vocabulary, _, _) = try Self.vocabularyFile(for: model, in: folder)
        var arrays: [[String: [Float]]] = []
        for environment in [[:], ["EMBEDDING_DRIFT_F32_KERNEL": "blas"]] {
            let out = folder.appendingPathComponent("run-\(arrays.count)")
            let outcome = try ExecutableRunner.run(
                [
                    "extract", model.path, "--vocab", vocabulary.path, "--out", out.path, "--name", "fixture",
                    "--next-token",
                ], environment: environment)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            arrays.append(
                try Dictionary(
                    uniqueKeysWithValues: ["hidden_fixture.npy", "logits_fixture.npy"].map {
                        ($0, try NumpyArray(contentsOf: out.appendingPathComponent($0)).floatValues())
                    }))
        }
        for file in ["hidden_fixture.npy", "logits_fixture.npy"] {
            let kernel = try #require(arrays[0][file])
            let blas = try #require(arrays[1][file])
            #expect(kernel.count == blas.count && !kernel.isEmpty)
            let scale = blas.reduce(0) { max($0, abs($1)) }
            let worst = zip(kernel, blas).reduce(0) { max($0, abs($1.0 - $1.1)) }
            #expect(worst <= 1e-5 * scale, "\(name) \(file): largest difference \(worst) of \(scale)")
        }
    }

    /// The written vectors equal transformers' for every layer, with the real tokenizer (ids checked too).
    @Test(arguments: ["llama", "gemma3", "bert"])
    func extractGivesTransformersVectors(name: String) throws {
        let model = Self.checkpoint(name)
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (vocabulary, terms, index) = try Self.vocabularyFile(for: model, in: folder)
        let out = folder.appendingPathComponent("run")
        let pooling = name == "bert" ? "mean" : "last"
        let outcome = try ExecutableRunner.run([
            "extract", model.path, "--vocab", vocabulary.path, "--out", out.path, "--name", "fixture",
            "--pooling", pooling, "--batch-tokens", "50",
        ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.isEmpty, "no progress line in a pipe")

        let layers = try #require(index["layers"] as? Int)
        let width = try #require(index["hidden_size"] as? Int)
        let reference = try NumpyArray(contentsOf: model.appendingPathComponent("\(pooling).npy")).floatValues()
        let hidden = try NumpyArray(contentsOf: out.appendingPathComponent("hidden_fixture.npy"))
        let embeddings = try NumpyArray(contentsOf: out.appendingPathComponent("embeddings_fixture.npy"))
        #expect(hidden.shape == [layers + 1, terms.count, width])
        #expect(embeddings.shape == [terms.count, width])
        let h = hidden.floatValues()
        let e = embeddings.floatValues()
        var worst = 1.0
        for prompt in 0..<terms.count {
            for layer in 0...layers {
                let expected = reference[
                    ((prompt * (layers + 1) + layer) * width)..<((prompt * (layers + 1) + layer + 1) * width)]
                let got = h[((layer * terms.count + prompt) * width)..<((layer * terms.count + prompt + 1) * width)]
                worst = min(worst, Self.cosine(got, expected))
                if layer == layers {
                    worst = min(worst, Self.cosine(e[(prompt * width)..<((prompt + 1) * width)], expected))
                }
            }
        }
        #expect(worst >= 0.99999, "\(name): worst cosine \(worst)")

        // The manifest records transformers' token counts (the tokenizer gives the same ids).
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
                as? [String: Any])
        let entry = try #require((manifest["variants"] as? [[String: Any]])?.first)
        #expect(entry["token_counts"] as? [Int] == index["token_counts"] as? [Int])
        #expect(entry["pooling"] as? String == pooling)
        let metadata = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("concept_metadata.json"))) as? [String: Any])
        #expect(metadata["concepts"] as? [String] == terms)
    }

    /// The prompts' shared opening is computed once per batch unless `--no-prefix-sharing` is given.
    ///
    /// The manifest says which, and the vectors agree to float rounding.
    @Test func prefixSharingIsRecordedAndCanBeTurnedOff() throws {
        let model = Self.checkpoint("llama")
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (vocabulary, terms, _) = try Self.vocabularyFile(for: model, in: folder)
        var vectors: [[Float]] = []
        for (name, flags) in [("shared", [String]()), ("full", ["--no-prefix-sharing"])] {
            let out = folder.appendingPathComponent(name)
            let outcome = try ExecutableRunner.run(
                ["extract", model.path, "--vocab", vocabulary.path, "--out", out.path, "--name", "fixture"] + flags)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let manifest = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("manifest.json")))
                    as? [String: Any])
            let entry = try #require((manifest["variants"] as? [[String: Any]])?.first)
            let tokens = try #require(entry["tokens"] as? Int)
            let computed = try #require((entry["timings"] as? [String: Any])?["computed_tokens"] as? Int)
            #expect(entry["shares_prompt_prefix"] as? Bool == flags.isEmpty)
            if flags.isEmpty {
                // "<s>The concept of" (4 tokens) once instead of once per prompt, all prompts in one batch.
                #expect(computed == tokens - 4 * (terms.count - 1), "\(computed) of \(tokens)")
            } else {
                #expect(computed == tokens)
            }
            vectors.append(try NumpyArray(contentsOf: out.appendingPathComponent("hidden_fixture.npy")).floatValues())
        }
        let scale = vectors[1].map(abs).max() ?? 1
        let worst = zip(vectors[0], vectors[1]).map { abs($0 - $1) }.max() ?? .infinity
        #expect(vectors[0].count == vectors[1].count && worst <= 1e-5 * scale, "\(worst) of \(scale)")
    }

    /// Bad input fails with one line on stderr, a non-zero status, and nothing written in --out.
    @Test func badInputWritesNothing() throws {
        let model = Self.checkpoint("llama")
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run")
        // BERT's normalizer drops format characters such as U+200B, so this term alone tokenises to nothing.
        let zeroWidth = folder.appendingPathComponent("zero.csv")
        try Data("France\n\"\u{200B}\"\n".utf8).write(to: zeroWidth)
        let emptyVocabulary = folder.appendingPathComponent("empty.csv")
        try Data("# no concepts yet\nterm,category\n".utf8).write(to: emptyVocabulary)
        let cases: [([String], String)] = [
            (["--template", "The concept of is"], "{term} exactly once"),
            (["--template", "{term}", "--no-special-tokens", "--vocab", zeroWidth.path], "tokenises to nothing"),
            (["--layers", "7"], "out of range"),
            (["--vocab", folder.appendingPathComponent("missing.csv").path], "missing.csv"),
            (["--name", "../x"], "invalid variant name"),
            (["--vocab", emptyVocabulary.path], "no concepts"),
        ]
        for (index, (arguments, message)) in cases.enumerated() {
            let checkpoint = index == 1 ? Self.checkpoint("bert") : model
            let outcome = try ExecutableRunner.run(["extract", checkpoint.path, "--out", out.path] + arguments)
            #expect(outcome.status != 0)
            #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains(message), "\(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(arguments) left \(out.path)")
        }
        let unsupported = try ExecutableRunner.run(["extract", model.path, "--out", out.path, "--pooling", "max"])
        #expect(unsupported.status != 0 && unsupported.stderr.contains("last, mean"))

        // A missing model and a model folder without weights: also nothing written.
        let empty = folder.appendingPathComponent("empty-model")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        for path in [folder.appendingPathComponent("nope").path, empty.path] {
            let outcome = try ExecutableRunner.run(["extract", path, "--out", out.path])
            #expect(outcome.status != 0 && outcome.stderr.hasPrefix("error: "), "\(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    /// Broken checkpoints (unsupported architecture, missing shard, shapes contradicting config.json) fail with one
    /// line naming the problem, and nothing is written.
    @Test func brokenCheckpointsWriteNothing() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Self.checkpoint("llama")
        func copy(_ name: String) throws -> URL {
            let target = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: source, to: target)
            return target
        }
        func editConfig(_ model: URL, _ edit: (inout [String: Any]) -> Void) throws {
            let url = model.appendingPathComponent("config.json")
            var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            edit(&config)
            try JSONSerialization.data(withJSONObject: config).write(to: url)
        }
        let unsupported = try copy("unsupported")
        try editConfig(unsupported) { $0["model_type"] = "mamba" }
        let contradicting = try copy("contradicting")
        try editConfig(contradicting) { $0["intermediate_size"] = 1000 }
        let sharded = try copy("sharded")
        try FileManager.default.moveItem(
            at: sharded.appendingPathComponent("model.safetensors"),
            to: sharded.appendingPathComponent("model-00001-of-00002.safetensors"))
        let shardIndex = #"{"metadata": {}, "weight_map": {"model.norm.weight": "model-00002-of-00002.safetensors"}}"#
        try Data(shardIndex.utf8).write(to: sharded.appendingPathComponent("model.safetensors.index.json"))

        let out = folder.appendingPathComponent("run")
        for (model, message) in [(unsupported, "mamba"), (contradicting, "1000"), (sharded, "00002-of-00002")] {
            let outcome = try ExecutableRunner.run(["extract", model.path, "--out", out.path])
            #expect(outcome.status != 0)
            #expect(outcome.stderr.hasPrefix("error: ") && outcome.stderr.contains(message), "\(outcome.stderr)")
            #expect(outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    /// A second variant joins the run; an error later leaves both untouched.
    @Test func secondVariantMergesAndErrorsLeaveTheRunAlone() throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run")
        for (name, model) in [("a", "llama"), ("b", "mistral")] {
            let outcome = try ExecutableRunner.run([
                "extract", Self.checkpoint(model).path, "--out", out.path, "--name", name, "--layers", "last",
            ])
            #expect(outcome.status == 0, "\(outcome.stderr)")
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(
            before == [
                "concept_metadata.json", "embeddings_a.npy", "embeddings_b.npy", "hidden_a.npy", "hidden_b.npy",
                "manifest.json",
            ])
        let manifest = try Data(contentsOf: out.appendingPathComponent("manifest.json"))
        let variants = try #require(
            (try JSONSerialization.jsonObject(with: manifest) as? [String: Any])?["variants"] as? [[String: Any]])
        #expect(variants.compactMap { $0["name"] as? String } == ["a", "b"])
        #expect(variants[0]["fingerprint"] as? String != variants[1]["fingerprint"] as? String)

        let other = folder.appendingPathComponent("other.csv")
        try Data("France\nwater\n".utf8).write(to: other)
        let outcome = try ExecutableRunner.run([
            "extract", Self.checkpoint("qwen2").path, "--out", out.path, "--vocab", other.path,
        ])
        #expect(outcome.status != 0 && outcome.stderr.contains("another vocabulary"), "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == before)
        #expect(try Data(contentsOf: out.appendingPathComponent("manifest.json")) == manifest)
    }
}

/// `extract --max-memory`: streaming layers from disk gives the in-memory run's files; a budget too small for one layer
/// says how much is needed and writes nothing.
@Suite struct ExtractStreamingTests {
    @Test func streamingRunWritesTheInMemoryVectors() throws {
        let model = ExtractTests.checkpoint("llama")
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (vocabulary, _, _) = try ExtractTests.vocabularyFile(for: model, in: folder)
        var hidden: [[Float]] = []
        // The fixture is so small that its activations outweigh its weights: streaming is forced.
        for (index, memory) in [["--max-memory", "1M", "--stream-layers"], []].enumerated() {
            let out = folder.appendingPathComponent("run\(index)")
            let outcome = try ExecutableRunner.run(
                ["extract", model.path, "--vocab", vocabulary.path, "--out", out.path, "--name", "v"] + memory)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            hidden.append(try NumpyArray(contentsOf: out.appendingPathComponent("hidden_v.npy")).floatValues())
        }
        #expect(hidden[0].count == hidden[1].count)
        let worst = zip(hidden[0], hidden[1]).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-6, "max difference \(worst)")
    }

    @Test func budgetTooSmallForOneLayerSaysHowMuchIsNeeded() throws {
        let model = ExtractTests.checkpoint("llama")
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run")
        let outcome = try ExecutableRunner.run(["extract", model.path, "--out", out.path, "--max-memory", "10K"])
        #expect(outcome.status != 0)
        #expect(outcome.stderr.hasPrefix("error: "), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("too small for even one layer"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("needs at least"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let malformed = try ExecutableRunner.run(["extract", model.path, "--out", out.path, "--max-memory", "lots"])
        #expect(malformed.status != 0 && malformed.stderr.contains("not a memory size"), "\(malformed.stderr)")
    }
}
