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

    /// The bytes of the files that must be equal: every .npy, the concept metadata and every table.
    static func comparable(_ run: URL) throws -> [String: Data] {
        try FolderSnapshot.files(in: run).filter { path, _ in
            path.hasSuffix(".npy") || path.hasSuffix("concept_metadata.json") || path.hasPrefix("/tables/")
                || path.hasPrefix("/summary.")
        }
    }

    @Test func threeShardsMergedEqualTheUnshardedRunBitForBit() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try PipelineTests.vocabulary(in: folder)
        let whole = folder.appendingPathComponent("single")
        // Shards read nothing through the LM head (merge does not join logits yet), so neither does the whole run.
        let outcome = try Self.compare(whole, vocabulary: vocabulary.url, extra: ["--no-next-token"])
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
        // Asked for, next-token logits and shards are refused before any model loads.
        let asked = try Self.compare(
            folder.appendingPathComponent("asked"), vocabulary: vocabulary.url,
            extra: ["--shard", "0/3", "--next-token"])
        #expect(asked.status != 0 && asked.stderr.contains("--shard cannot be combined with --next-token"))
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
