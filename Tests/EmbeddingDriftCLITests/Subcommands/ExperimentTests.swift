import Foundation
import TestSupport
import Testing

/// `run experiment.yaml` and `init`: the file's run equals the equivalent `compare`; bad files are refused with
/// their line.
@Suite(.serialized) struct ExperimentTests {
    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    @Test func runAndTheEquivalentCompareWriteIdenticalTables() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try PipelineTests.vocabulary(in: folder)
        let llama = ExtractTests.checkpoint("llama").path
        let half = ExtractTests.checkpoint("llama-bf16").path
        let file = folder.appendingPathComponent("experiment.yaml")
        try Self.write(
            """
            # a comment
            output: by-file            # relative to this file's folder
            vocabulary: vocab.csv
            variants:
              - name: base
                model: \(llama)
              - name: half
                model: \(half)
              - name: nf4
                model: \(llama)
                scheme: nf4
            template: "Think of {term} now"
            layers: [0, 1, -1]
            pooling: mean
            batch_tokens: 64
            prefix_sharing: false
            analysis:
              k: 5
              seed: 7
              bootstrap: 300
              permutations: 300
            umap:
              enabled: true
              epochs: 50
            """, to: file)
        let printed = try ExecutableRunner.run(["run", file.path, "--print-command"])
        #expect(printed.status == 0, "\(printed.stderr)")
        let byFile = folder.appendingPathComponent("by-file")
        #expect(printed.stdout.contains("--out \(byFile.path)"))
        #expect(printed.stdout.contains("nf4=\(llama)@nf4"))
        #expect(printed.stdout.contains("--no-prefix-sharing"))

        let run = try ExecutableRunner.run(["run", file.path, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let byFlags = folder.appendingPathComponent("by-flag")
        let compare = try ExecutableRunner.run([
            "compare", "base=\(llama)", "half=\(half)", "nf4=\(llama)@nf4", "--vocab", vocabulary.url.path,
            "--out", byFlags.path, "--template", "Think of {term} now", "--layers", "0,1,-1", "--pooling", "mean",
            "--batch-tokens", "64", "--no-prefix-sharing", "--k", "5", "--seed", "7", "--bootstrap", "300",
            "--permutations", "300",
            "--umap-epochs", "50", "--quiet",
        ])
        #expect(compare.status == 0, "\(compare.stderr)")

        // Every file but the manifest (timings, dates, the experiment record) and the report (its title is the
        // folder's name, hence folder names of one length: summary.json records the report's size) is byte-identical.
        let a = try FolderSnapshot.files(in: byFile), b = try FolderSnapshot.files(in: byFlags)
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a.keys.contains("/tables/time_profile.csv") && a.keys.contains("/umap_nf4.npy"))
        for (path, data) in a.sorted(by: { $0.key < $1.key }) where !["/manifest.json", "/report.html"].contains(path) {
            #expect(b[path] == data, "\(path) differs")
        }
        let manifest = try PipelineTests.manifest(byFile)
        let experiment = try #require(manifest["experiment"] as? [String: Any])
        #expect(experiment["file"] as? String == file.standardizedFileURL.path)
        let settings = try #require((manifest["analysis"] as? [String: Any])?["settings"] as? [String: Any])
        let flagSettings = try #require(
            (try PipelineTests.manifest(byFlags)["analysis"] as? [String: Any])?["settings"] as? [String: Any])
        func canonical(_ object: [String: Any]) throws -> Data {
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        }
        #expect(try canonical(settings) == canonical(flagSettings))
    }

    @Test func unknownKeysAndWrongTypesAreRefusedWithTheirLine() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let head = "output: out\nvariants:\n  - {name: a, model: /m}\n  - {name: b, model: /n}\n"
        let cases: [(String, String)] = [
            (head + "poolin: last\n", "line 5, column 1: unknown key 'poolin'"),
            (head + "analysis:\n  k: ten\n", "line 6, column 6: 'k' must be an integer, not text"),
            (head + "series: yes please\n", "line 5, column 9: 'series' must be true or false"),
            (head + "layers: {a: 1}\n", "line 5, column 9: 'layers' must be text, not a mapping"),
            (head + "umap:\n  enabled: true\n  epoch: 3\n", "line 7, column 3: unknown key 'epoch' in umap"),
            (head + "pooling: max\n", "line 5, column 10: unknown pooling 'max'"),
            (
                "output: out\nvariants:\n  - {name: a, model: /m, revision: main}\n  - {model: /n}\n",
                "line 3, column 36: a revision needs a hub id"
            ),
            ("output: out\nvariants:\n  - {name: a, model: /m}\n", "line 3, column 3: 'variants' needs at least two"),
            ("output: out\nvariants: [\n", "not valid YAML"),
            (head + "output: again\n", "line 5, column 1: the key 'output' is given twice"),
            (head + "next_token: maybe\n", "line 5, column 13: 'next_token' must be true or false"),
            (head + "logit_lens: 0\n", "line 5, column 13: 'logit_lens' must be at least 1 (got 0)"),
            (head + "logit_lens: 1001\n", "line 5, column 13: 'logit_lens' must be at most 1000 (got 1001)"),
            (head + "logit_lens: five\n", "line 5, column 13: 'logit_lens' must be an integer, not text"),
            (
                head + "pooling: mean\nnext_token: true\n",
                "line 6, column 13: 'next_token' reads the last prompt token's state; use pooling: last"
            ),
            (
                head + "pooling: mean\nlogit_lens: 3\n",
                "line 6, column 13: 'logit_lens' reads the last prompt token's state; use pooling: last"
            ),
        ]
        for (index, (text, message)) in cases.enumerated() {
            let file = folder.appendingPathComponent("bad-\(index).yaml")
            try Self.write(text, to: file)
            let outcome = try ExecutableRunner.run(["run", file.path, "--print-command"])
            #expect(outcome.status == 1, "\(message)")
            #expect(
                outcome.stderr.contains(file.path) && outcome.stderr.contains(message), "\(message): \(outcome.stderr)")
        }
    }

    @Test func nextTokenAndLogitLensBecomeCompareFlags() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let head = "output: /tmp/out\nvariants:\n  - {name: a, model: /m}\n  - {name: b, model: /n}\n"
        let cases: [(String, String)] = [
            ("", "a=/m b=/n --out /tmp/out\n"),
            ("next_token: true\n", "a=/m b=/n --out /tmp/out --next-token\n"),
            ("next_token: false\n", "a=/m b=/n --out /tmp/out --no-next-token\n"),
            ("logit_lens: 5\n", "a=/m b=/n --out /tmp/out --logit-lens 5\n"),
            ("next_token: true\nlogit_lens: 1000\n", "a=/m b=/n --out /tmp/out --next-token --logit-lens 1000\n"),
            ("pooling: mean\nnext_token: false\n", "a=/m b=/n --out /tmp/out --pooling mean --no-next-token\n"),
        ]
        for (index, (keys, arguments)) in cases.enumerated() {
            let file = folder.appendingPathComponent("readout-\(index).yaml")
            try Self.write(head + keys, to: file)
            let outcome = try ExecutableRunner.run(["run", file.path, "--print-command"])
            #expect(outcome.status == 0, "\(keys): \(outcome.stderr)")
            #expect(outcome.stdout == "embedding-drift compare " + arguments, "\(keys)")
        }
    }

    @Test func nextTokenKeysRunAsTheirFlags() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try PipelineTests.vocabulary(in: folder)
        let llama = ExtractTests.checkpoint("llama").path
        let half = ExtractTests.checkpoint("llama-bf16").path
        let head = """
            vocabulary: \(vocabulary.url.path)
            variants:
              - {name: base, model: \(llama)}
              - {name: half, model: \(half)}
            analysis: {bootstrap: 300, permutations: 300}
            umap: {enabled: false}

            """
        // Left out: next-token logits by default; false: none; logit_lens alone: the lens and, as `--logit-lens`
        // alone, no next-token logits.
        let cases: [(String, String, [String])] = [
            ("default", "", ["logits_base.npy", "next_tokens_half.csv"]),
            ("none", "next_token: false\n", []),
            ("lens", "logit_lens: 2\n", ["logit_lens_base.csv", "logit_lens_half.csv"]),
            ("both", "next_token: true\nlogit_lens: 2\n", ["logits_half.npy", "logit_lens_base.csv"]),
        ]
        let outputs = ["logits_", "next_tokens_", "logit_lens_"]
        for (name, keys, expected) in cases {
            let file = folder.appendingPathComponent("\(name).yaml")
            try Self.write("output: \(name)\n" + head + keys, to: file)
            let outcome = try ExecutableRunner.run(["run", file.path, "--quiet"])
            try #require(outcome.status == 0, "\(name): \(outcome.stderr)")
            let written = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(name).path)
                .filter { file in outputs.contains { file.hasPrefix($0) } }
            for file in expected { #expect(written.contains(file), "\(name): \(file) in \(written)") }
            if expected.isEmpty { #expect(written.isEmpty, "\(name): \(written)") }
            if name == "lens" { #expect(!written.contains { $0.hasPrefix("logits_") }, "\(written)") }
        }
    }

    @Test func checkpointsBecomeAnOrderedSeriesOfHubRevisions() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("olmo.yaml")
        try Self.write(
            """
            output: /tmp/olmo
            checkpoints:
              model: hf:allenai/OLMo-1B-hf
              revisions: [step20000-tokens84B, step30000-tokens126B, step40000-tokens168B]
              scheme: q8_0
            """, to: file)
        let outcome = try ExecutableRunner.run(["run", file.path, "--print-command"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(
            outcome.stdout
                == "embedding-drift compare step20000-tokens84B=hf:allenai/OLMo-1B-hf#step20000-tokens84B@q8_0 "
                + "step30000-tokens126B=hf:allenai/OLMo-1B-hf#step30000-tokens126B@q8_0 "
                + "step40000-tokens168B=hf:allenai/OLMo-1B-hf#step40000-tokens168B@q8_0 --out /tmp/olmo --series\n")
    }

    @Test func initWritesAnExampleThatRunsAndNeverOverwrites() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("experiment.yaml")
        let first = try ExecutableRunner.run(["init", file.path])
        #expect(first.status == 0, "\(first.stderr)")
        let written = try Data(contentsOf: file)
        let printed = try ExecutableRunner.run(["run", file.path, "--print-command"])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains("base=hf:HuggingFaceTB/SmolLM2-135M "))
        #expect(printed.stdout.contains("base-nf4=hf:HuggingFaceTB/SmolLM2-135M@nf4"))
        #expect(printed.stdout.contains("--out \(folder.appendingPathComponent("runs/smollm2-135m").path)"))
        let second = try ExecutableRunner.run(["init", file.path])
        #expect(second.status == 1)
        #expect(second.stderr.contains("never overwrites"))
        #expect(try Data(contentsOf: file) == written)
    }
}
