import Foundation
import TestSupport
import Testing

/// `--shard i/n` and `merge`: three shards merged equal the unsharded run bit for bit; mismatched, missing and
/// repeated shards are refused.
///
/// `--batch-tokens 40` splits the 22 fixture prompts into several batches, so each
/// shard runs some of them.
@Suite(.serialized) struct ShardTests {
    static func compare(_ out: URL, vocabulary: URL, extra: [String] = []) throws -> ExecutableRunner.Outcome {
        try ExecutableRunner.run(
            [
                "compare", "base=\(ExtractTests.checkpoint("llama").path)",
                "half=\(ExtractTests.checkpoint("llama-bf16").path)", "--vocab", vocabulary.path, "--out", out.path,
                "--quiet", "--batch-tokens", "40",
            ] + PipelineTests.fast + extra)
    }

    /// The bytes of the files that must be equal: every .npy, the next tokens and logit lens, the concept metadata
    /// and every table.
    static func comparable(_ run: URL) throws -> [String: Data] {
        try FolderSnapshot.files(in: run).filter { path, _ in
            path.hasSuffix(".npy") || path.hasSuffix("concept_metadata.json") || path.hasPrefix("/tables/")
                || path.hasPrefix("/summary.") || path.hasPrefix("/next_tokens_") || path.hasPrefix("/logit_lens_")
        }
    }

    @Test func threeShardsMergedEqualTheUnshardedRunBitForBit() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try PipelineTests.vocabulary(in: folder)
        let whole = folder.appendingPathComponent("single")
        // Next-token logits on, as by default: the shards keep them and merge joins them.
        let outcome = try Self.compare(whole, vocabulary: vocabulary.url)
        try #require(outcome.status == 0, "\(outcome.stderr)")

        var shards: [URL] = []
        for i in 0..<3 {
            let shard = folder.appendingPathComponent("shard-\(i)")
            let result = try Self.compare(shard, vocabulary: vocabulary.url, extra: ["--shard", "\(i)/3"])
            try #require(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("shard \(i)/3"))
            #expect(!FileManager.default.fileExists(atPath: shard.appendingPathComponent("tables").path))
            let record = try #require(try PipelineTests.manifest(shard)["shard"] as? [String: Any])
            let rows = try #require((record["variants"] as? [String: Any])?["base"] as? [String: Any])["rows"]
            #expect((rows as? [Int])?.isEmpty == false, "shard \(i) holds concepts")
            shards.append(shard)
        }
        // Folder names of one length: the report's title is the folder's name and summary.json records its size.
        let merged = folder.appendingPathComponent("joined")
        let merge = try ExecutableRunner.run(
            ["merge", shards[2].path, shards[0].path, shards[1].path, "--out", merged.path, "--quiet"]
                + PipelineTests.fast)
        try #require(merge.status == 0, "\(merge.stderr)")

        let expected = try Self.comparable(whole)
        let got = try Self.comparable(merged)
        #expect(expected.keys.sorted() == got.keys.sorted())
        #expect(expected.keys.contains("/hidden_half.npy") && expected.keys.contains("/tables/concept_drift.csv"))
        for path in ["/logits_base.npy", "/logits_half.npy", "/next_tokens_base.csv", "/next_tokens_half.csv"] {
            #expect(expected.keys.contains(path), "the unsharded run wrote \(path)")
        }
        #expect(expected.keys.contains { $0.hasPrefix("/tables/next_token") }, "next-token tables written")
        for (path, data) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(got[path] == data, "\(path) differs")
        }
        // The merged entries carry the unsharded fingerprints: compare with the same arguments extracts nothing.
        func fingerprints(_ run: URL) throws -> [String] {
            try #require(try PipelineTests.manifest(run)["variants"] as? [[String: Any]]).compactMap {
                $0["fingerprint"] as? String
            }
        }
        #expect(try fingerprints(merged) == fingerprints(whole))
        let again = try Self.compare(merged, vocabulary: vocabulary.url)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("0 extracted"))
        // The merged manifest records the joined outputs.
        let entries = try #require(try PipelineTests.manifest(merged)["variants"] as? [[String: Any]])
        for entry in entries {
            let files = try #require(entry["files"] as? [String: Any])
            #expect(files["logits"] as? String == "logits_\(entry["name"] as? String ?? "").npy")
            #expect(files["next_tokens"] as? String == "next_tokens_\(entry["name"] as? String ?? "").csv")
        }
    }

    @Test func shardsJoinTheLogitLensAndRefuseMixedOutputs() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try PipelineTests.vocabulary(in: folder)
        let lens = ["--next-token", "--logit-lens", "3"]
        let whole = folder.appendingPathComponent("single")
        let outcome = try Self.compare(whole, vocabulary: vocabulary.url, extra: lens)
        try #require(outcome.status == 0, "\(outcome.stderr)")
        var shards: [URL] = []
        for i in 0..<3 {
            let shard = folder.appendingPathComponent("shard-\(i)")
            let result = try Self.compare(shard, vocabulary: vocabulary.url, extra: ["--shard", "\(i)/3"] + lens)
            try #require(result.status == 0, "\(result.stderr)")
            shards.append(shard)
        }
        let merged = folder.appendingPathComponent("joined")
        let merge = try ExecutableRunner.run(
            ["merge", shards[1].path, shards[2].path, shards[0].path, "--out", merged.path, "--quiet", "--no-analysis"])
        try #require(merge.status == 0, "\(merge.stderr)")
        // Only the extraction's files: the merge is not analysed.
        func extracted(_ run: URL) throws -> [String: Data] {
            try Self.comparable(run).filter { path, _ in
                !["/tables/", "/summary.", "/umap_"].contains { path.hasPrefix($0) }
            }
        }
        let expected = try extracted(whole)
        let got = try extracted(merged)
        #expect(expected.keys.contains("/logit_lens_base.csv") && expected.keys.contains("/next_tokens_half.csv"))
        #expect(expected.keys.sorted() == got.keys.sorted())
        for (path, data) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(got[path] == data, "\(path) differs")
        }

        // A shard extracted without next-token logits does not join shards with them.
        let plain = folder.appendingPathComponent("plain-1")
        let result = try Self.compare(
            plain, vocabulary: vocabulary.url, extra: ["--shard", "1/3", "--no-next-token"])
        try #require(result.status == 0, "\(result.stderr)")
        let out = folder.appendingPathComponent("mixed")
        let mixed = try ExecutableRunner.run(
            ["merge", shards[0].path, plain.path, shards[2].path, "--out", out.path, "--quiet"])
        #expect(mixed.status == 1)
        #expect(mixed.stderr.contains("next-token logits") && mixed.stderr.contains(plain.path), "\(mixed.stderr)")
        #expect(mixed.stderr.split(separator: "\n").count == 1, "\(mixed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func mismatchedMissingAndRepeatedShardsAreRefused() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try PipelineTests.vocabulary(in: folder)
        var shards: [URL] = []
        for i in 0..<3 {
            let shard = folder.appendingPathComponent("s\(i)")
            try #require(try Self.compare(shard, vocabulary: vocabulary.url, extra: ["--shard", "\(i)/3"]).status == 0)
            shards.append(shard)
        }
        let other = folder.appendingPathComponent("other-template")
        try #require(
            try Self.compare(other, vocabulary: vocabulary.url, extra: ["--shard", "1/3", "--template", "A {term} B"])
                .status == 0)
        let pooled = folder.appendingPathComponent("other-pooling")
        try #require(
            try Self.compare(pooled, vocabulary: vocabulary.url, extra: ["--shard", "1/3", "--pooling", "mean"])
                .status == 0)
        let batch = folder.appendingPathComponent("other-batch")
        try #require(
            try Self.compare(batch, vocabulary: vocabulary.url, extra: ["--shard", "1/3", "--batch-tokens", "64"])
                .status == 0)
        let four = folder.appendingPathComponent("four")
        try #require(try Self.compare(four, vocabulary: vocabulary.url, extra: ["--shard", "1/4"]).status == 0)

        let cases: [([URL], String)] = [
            ([shards[0], shards[2]], "gap: shard 1/3 missing"),
            ([shards[0], shards[1], shards[1], shards[2]], "overlap: shard 1/3 is given twice"),
            ([shards[0], other, shards[2]], "the template"),
            ([shards[0], pooled, shards[2]], "variant 'base' has another fingerprint"),
            ([shards[0], four, shards[2]], "the number of shards"),
            ([shards[0], batch, shards[2]], "the batch size"),
            ([shards[0], folder], "not a run directory"),
        ]
        for (index, (inputs, message)) in cases.enumerated() {
            let out = folder.appendingPathComponent("merged-\(index)")
            let outcome = try ExecutableRunner.run(["merge"] + inputs.map(\.path) + ["--out", out.path, "--quiet"])
            #expect(outcome.status == 1, "\(message)")
            #expect(outcome.stderr.contains(message), "\(message): \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "nothing written for \(message)")
        }
        // An existing run is never overwritten.
        let existing = try ExecutableRunner.run(["merge"] + shards.map(\.path) + ["--out", shards[0].path])
        #expect(existing.status == 1)
        #expect(existing.stderr.contains("already holds a run"))
    }

    @Test func invalidShardsAreUsageErrors() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try PipelineTests.vocabulary(in: folder)
        for shard in ["3/3", "a/3", "-1/2", "1"] {
            let outcome = try Self.compare(
                folder.appendingPathComponent("x"), vocabulary: vocabulary.url, extra: ["--shard", shard])
            #expect(outcome.status != 0, "\(shard)")
            #expect(outcome.stderr.contains("shard"), "\(shard): \(outcome.stderr)")
        }
        // More shards than batches: the last shards hold nothing, and the merge still gives every concept.
        var shards: [String] = []
        for i in 0..<12 {
            let shard = folder.appendingPathComponent("many-\(i)")
            let outcome = try Self.compare(shard, vocabulary: vocabulary.url, extra: ["--shard", "\(i)/12"])
            try #require(outcome.status == 0, "\(outcome.stderr)")
            shards.append(shard.path)
        }
        let merged = try ExecutableRunner.run(
            ["merge"] + shards + ["--out", folder.appendingPathComponent("many").path, "--quiet", "--no-analysis"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains("× \(vocabulary.terms.count) concepts"))
    }
}
