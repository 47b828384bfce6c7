import DriftAnalysis
import DriftCore
import Foundation
import TestSupport
import Testing

/// `compare`, `analyze` and `import` end to end.
///
/// The real executable runs on the runtime's fixture checkpoints and on numpy-written planted-truth arrays
/// (`Scripts/fixtures/pipe.py`). The measures themselves are tested against numpy/scipy in DriftAnalysisTests; these
/// tests check the plumbing: every file and row is there, the numbers equal the library's for the same inputs,
/// nothing is extracted twice, interrupted runs resume, bad input is refused without touching the run.
@Suite(.serialized) struct PipelineTests {
    static let fast = ["--bootstrap", "300", "--permutations", "300"]

    /// A folder of the analysis tests' fixtures (reached by path: this target has no resources).
    static func fixture(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("DriftAnalysisTests/Fixtures/pipe/\(name)")
    }

    /// The llama fixture's 22 terms in three categories.
    static func vocabulary(in folder: URL) throws -> (url: URL, terms: [String], categories: [String]) {
        let (_, terms, _) = try ExtractTests.vocabularyFile(for: ExtractTests.checkpoint("llama"), in: folder)
        let categories = terms.indices.map { ["alpha", "beta", "gamma"][$0 % 3] }
        let url = folder.appendingPathComponent("vocab.csv")
        try Data(
            ("term,category\n" + zip(terms, categories).map { "\"\($0)\",\($1)\n" }.joined()).utf8
        ).write(to: url)
        return (url, terms, categories)
    }

    static func run(_ arguments: [String]) throws -> ExecutableRunner.Outcome {
        try ExecutableRunner.run(arguments)
    }

    static func manifest(_ run: URL) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("manifest.json")))
                as? [String: Any])
    }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    static func modificationDate(_ url: URL) throws -> Date {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date)
    }

    // MARK: - compare

    @Test func compareWritesTheCompleteRunDirectoryAndRerunsExtractNothing() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try Self.vocabulary(in: folder)
        let out = folder.appendingPathComponent("run")
        let arguments =
            [
                "compare", "base=\(ExtractTests.checkpoint("llama").path)",
                "half=\(ExtractTests.checkpoint("llama-bf16").path)", "other=\(ExtractTests.checkpoint("qwen2").path)",
                "--vocab", vocabulary.url.path, "--out", out.path, "--quiet",
            ] + Self.fast
        let first = try Self.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let names = ["base", "half", "other"]
        let manifest = try Self.manifest(out)
        let lastRun = try #require(manifest["last_run"] as? [String: Any])
        #expect(lastRun["extracted"] as? [String] == names)
        #expect(manifest["variant_order"] as? [String] == names)
        #expect(manifest["format_version"] as? Int == RunDirectory.schemaVersion)
        let analysis = try #require(manifest["analysis"] as? [String: Any])
        #expect(analysis["headline_layer"] as? Int == 2)

        // Every file of the layout.
        for name in names {
            for file in ["hidden_\(name).npy", "embeddings_\(name).npy", "umap_\(name).npy"] {
                #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
            }
            let umap = try NumpyArray(contentsOf: out.appendingPathComponent("umap_\(name).npy"))
            #expect(umap.shape == [vocabulary.terms.count, 2])
        }
        for file in ["summary.json", "summary.md", "concept_metadata.json"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file)")
        }
        let tables = out.appendingPathComponent("tables")
        let documented: [String: [String]] = [
            "concept_drift": [
                "variant_a", "variant_b", "layer", "concept", "category", "cosine_distance", "centered_distance",
                "procrustes_distance", "jaccard", "second_order", "percentile",
            ],
            "category_drift": [
                "variant_a", "variant_b", "layer", "category", "n", "mean", "ci_low", "ci_high", "median", "std", "max",
                "top_quartile_share",
            ],
            "category_tests": [
                "variant_a", "variant_b", "layer", "category_a", "category_b", "difference", "p_value", "p_holm",
            ],
            "global": [
                "variant_a", "variant_b", "layer", "mean_drift", "cka", "cka_debiased", "procrustes", "mutual_knn",
                "anisotropy_a", "anisotropy_b",
            ],
            "neighbors": ["variant", "layer", "concept", "rank", "neighbor", "similarity"],
            "layer_profile": ["variant_a", "variant_b", "layer", "mean_drift"],
            "time_profile": ["variant", "layer", "category", "from_first", "step"],
        ]
        for (table, columns) in documented {
            let csv = try Self.text(tables.appendingPathComponent("\(table).csv"))
            let header = csv.split(separator: "\n").first.map { $0.split(separator: ",").map(String.init) } ?? []
            for column in columns { #expect(header.contains(column), "\(table).csv lacks \(column)") }
            let json = try JSONSerialization.jsonObject(
                with: Data(contentsOf: tables.appendingPathComponent("\(table).json")))
            #expect((json as? [[String: Any]])?.count == csv.split(separator: "\n").count - 1, "\(table).json rows")
        }

        // Rows: 3 pairs × layers 1 and 2 (layer 0 is degenerate under last-token pooling: every prompt ends in
        // the same token, so it is left out with a note).
        let n = vocabulary.terms.count
        let lines = { (table: String) in
            try Self.text(tables.appendingPathComponent("\(table).csv")).split(separator: "\n").count - 1
        }
        #expect(try lines("concept_drift") == 3 * 2 * n)
        #expect(try lines("global") == 3 * 2)
        #expect(try lines("layer_profile") == 3 * 2)
        #expect(try lines("category_drift") == 3 * 2 * 3)
        #expect(try lines("category_tests") == 3 * 2 * 3)
        #expect(try lines("neighbors") == 3 * 2 * n * 10)
        // The time profile keeps layer 0 (cosine distances are defined there): 2 steps × 3 layers × (3 categories + all).
        #expect(try lines("time_profile") == 2 * 3 * 4)

        // The numbers are the library's for the same stored vectors and settings.
        let run = try RunDirectory(out)
        let base = try run.hiddenStates(of: run.variant("base"))
        let other = try run.hiddenStates(of: run.variant("other"))
        var options = PairAnalysis.Options()
        options.resamples = 300
        options.permutations = 300
        let expected = try PairAnalysis(
            base[2], other[2], conceptNames: vocabulary.terms, categoryNames: vocabulary.categories,
            variants: ("base", "other"), layer: 2, options: options)
        for (table, encoded) in [
            ("concept_drift", TableEncoding.csv(expected.concepts)),
            ("category_drift", TableEncoding.csv(expected.categories)),
            ("category_tests", TableEncoding.csv(expected.tests)), ("global", TableEncoding.csv([expected.global])),
        ] {
            let written = try Self.text(tables.appendingPathComponent("\(table).csv"))
            for line in encoded.split(separator: "\n").dropFirst() {
                #expect(written.contains(line + "\n"), "\(table): \(line)")
            }
        }
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json")))
                as? [String: Any])
        let pairs = try #require(summary["pairs"] as? [[String: Any]])
        #expect(pairs.count == 3)
        let baseOther = try #require(
            pairs.first { $0["variant_b"] as? String == "other" && $0["variant_a"] as? String == "base" })
        // Compared as written: swift-corelibs-foundation writes the shortest round-trip digits, but its JSON parser
        // is not correctly rounded (it reads 0.9698945811805955 as …953), so a parsed value may be an ulp or two off.
        let mean = try #require(expected.summary?.mean)
        let parsedMean = try #require(baseOther["mean_drift"] as? Double)
        #expect(abs(parsedMean - mean) <= 4 * mean.ulp)
        #expect(try Self.text(out.appendingPathComponent("summary.json")).contains("\"mean_drift\" : \(mean),"))
        #expect((summary["ratios"] as? [Any])?.count == 2)
        let markdown = try Self.text(out.appendingPathComponent("summary.md"))
        #expect(markdown.contains("95% CI"))

        // The second run extracts nothing and leaves the vectors untouched.
        let hidden = out.appendingPathComponent("hidden_base.npy")
        let before = try Self.modificationDate(hidden)
        let second = try Self.run(arguments)
        #expect(second.status == 0, "\(second.stderr)")
        let rerun = try #require(try Self.manifest(out)["last_run"] as? [String: Any])
        #expect(rerun["extracted"] as? [String] == [])
        #expect(rerun["reused"] as? [String] == names)
        #expect(try Self.modificationDate(hidden) == before)
        // Same seed, same tables.
        #expect(
            try Self.text(tables.appendingPathComponent("category_tests.csv")).contains(
                TableEncoding.csv(expected.tests).split(separator: "\n")[1] + "\n"))

        // `analyze` alone rewrites the analysis from the stored vectors, with other settings.
        let analyzed = try Self.run(["analyze", out.path, "--k", "5", "--no-umap", "--quiet"] + Self.fast)
        #expect(analyzed.status == 0, "\(analyzed.stderr)")
        #expect(try lines("neighbors") == 3 * 2 * n * 5)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("umap_base.npy").path))
    }

    @Test func anInterruptedRunResumesWithTheMissingVariantOnly() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try Self.vocabulary(in: folder)
        let out = folder.appendingPathComponent("run")
        // The state a crash during the second variant leaves: the first finished, the second's half-written files
        // in a staging folder and a stray partial array without a manifest entry.
        let first = try Self.run([
            "extract", ExtractTests.checkpoint("llama").path, "--vocab", vocabulary.url.path, "--out", out.path,
            "--name", "base", "--quiet",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let staging = out.appendingPathComponent(".staging-crashed")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try Data(repeating: 7, count: 100).write(to: staging.appendingPathComponent("hidden_half.npy"))
        try Data("\u{93}NUMPY partial".utf8).write(to: out.appendingPathComponent("hidden_half.npy"))
        let baseDate = try Self.modificationDate(out.appendingPathComponent("hidden_base.npy"))

        let resumed = try Self.run(
            [
                "compare", "base=\(ExtractTests.checkpoint("llama").path)",
                "half=\(ExtractTests.checkpoint("llama-bf16").path)", "--vocab", vocabulary.url.path, "--out",
                out.path, "--quiet",
            ] + Self.fast)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let lastRun = try #require(try Self.manifest(out)["last_run"] as? [String: Any])
        #expect(lastRun["extracted"] as? [String] == ["half"])
        #expect(lastRun["reused"] as? [String] == ["base"])
        #expect(try Self.modificationDate(out.appendingPathComponent("hidden_base.npy")) == baseDate)
        let half = try NumpyArray(contentsOf: out.appendingPathComponent("hidden_half.npy"))
        #expect(half.shape == [3, vocabulary.terms.count, 48])
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("tables/global.csv").path))
    }

    @Test func templatesMeasureANoiseFloorOnceAndEveryConceptIsRelativeToIt() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try Self.vocabulary(in: folder)
        let out = folder.appendingPathComponent("run")
        let arguments =
            [
                "compare", "base=\(ExtractTests.checkpoint("llama").path)",
                "half=\(ExtractTests.checkpoint("llama-bf16").path)", "--vocab", vocabulary.url.path, "--out", out.path,
                "--templates", "The idea of {term} is|{term} means", "--quiet",
            ] + Self.fast
        let first = try Self.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let lastRun = try #require(try Self.manifest(out)["last_run"] as? [String: Any])
        #expect(lastRun["extracted"] as? [String] == ["base", "base/t0", "base/t1", "half", "half/t0", "half/t1"])

        // The floor is the library's NoiseFloor over the stored paraphrases of `base` (variant_a).
        let noise = try RunDirectory(out.appendingPathComponent("noise/base"))
        #expect(noise.order == ["t0", "t1"])
        let t0 = try noise.hiddenStates(of: noise.variant("t0")), t1 = try noise.hiddenStates(of: noise.variant("t1"))
        let run = try RunDirectory(out)
        let base = try run.hiddenStates(of: run.variant("base")), half = try run.hiddenStates(of: run.variant("half"))
        let floor = try NoiseFloor(templates: [t0[2], t1[2]])
        let drift = try ConceptDrift.cosineDistances(base[2], half[2])
        let relative = try floor.relative(drift)
        let expected = vocabulary.terms.indices.map { c in
            NoiseFloorRow(
                variantA: "base", variantB: "half", floorVariant: "base", layer: 2, concept: vocabulary.terms[c],
                category: vocabulary.categories[c], floor: floor.perConcept[c], cosineDistance: drift[c],
                relative: relative[c])
        }
        let written = try Self.text(out.appendingPathComponent("tables/noise_floor.csv"))
        #expect(written.split(separator: "\n").count - 1 == 2 * vocabulary.terms.count)
        for line in TableEncoding.csv(expected).split(separator: "\n").dropFirst() {
            #expect(written.contains(line + "\n"), "\(line)")
        }
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json")))
                as? [String: Any])
        let pair = try #require((summary["pairs"] as? [[String: Any]])?.first)
        let meanFloor = try #require((pair["noise_floor"] as? [String: Any])?["mean_floor"] as? Double)
        #expect(abs(meanFloor - floor.mean) <= 1e-12 * floor.mean)

        let second = try Self.run(arguments)
        #expect(second.status == 0, "\(second.stderr)")
        let rerun = try #require(try Self.manifest(out)["last_run"] as? [String: Any])
        #expect(rerun["extracted"] as? [String] == [])
    }

    // MARK: - import

    @Test func importGivesTheSameTablesAsCompareOnTheSameVectors() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = try Self.vocabulary(in: folder)
        let compared = folder.appendingPathComponent("compared")
        let outcome = try Self.run(
            [
                "compare", "base=\(ExtractTests.checkpoint("llama").path)",
                "other=\(ExtractTests.checkpoint("qwen2").path)", "--vocab", vocabulary.url.path, "--out",
                compared.path, "--quiet",
            ] + Self.fast)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let imported = folder.appendingPathComponent("imported")
        let result = try Self.run(
            [
                "import", "base=\(compared.appendingPathComponent("hidden_base.npy").path)",
                "other=\(compared.appendingPathComponent("hidden_other.npy").path)", "--vocab", vocabulary.url.path,
                "--out", imported.path, "--quiet",
            ] + Self.fast)
        #expect(result.status == 0, "\(result.stderr)")
        for table in ["concept_drift", "category_drift", "category_tests", "global", "neighbors", "layer_profile"] {
            for ext in ["csv", "json"] {
                let a = try Data(contentsOf: compared.appendingPathComponent("tables/\(table).\(ext)"))
                let b = try Data(contentsOf: imported.appendingPathComponent("tables/\(table).\(ext)"))
                #expect(a == b, "\(table).\(ext) differs")
            }
        }
        for name in ["base", "other"] {
            let a = try Data(contentsOf: compared.appendingPathComponent("umap_\(name).npy"))
            let b = try Data(contentsOf: imported.appendingPathComponent("umap_\(name).npy"))
            #expect(a == b, "umap_\(name).npy differs")
        }
    }

    /// The planted truth (numpy-written): every concept rotated by one global rotation, one category also shifted.
    @Test func plantedCategoryIsFlaggedAndTheRotatedOnesAreNot() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let truth = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixture("truth.json"))) as? [String: Any])
        let planted = try #require(truth["planted"] as? String)
        let out = folder.appendingPathComponent("run")
        let result = try Self.run([
            "import", "base=\(Self.fixture("base.npy").path)", "tuned=\(Self.fixture("tuned.npy").path)", "--vocab",
            Self.fixture("concepts.csv").path, "--out", out.path, "--quiet", "--bootstrap", "2000",
            "--permutations", "2000",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json")))
                as? [String: Any])
        let pair = try #require((summary["pairs"] as? [[String: Any]])?.first)
        let flags = try #require(pair["significant_categories"] as? [String: [String]])
        #expect(flags["procrustes_aligned"] == [planted])
        let rotated = (truth["categories"] as? [String] ?? []).filter { $0 != planted }
        for category in rotated {
            #expect(!(flags["cosine"] ?? []).contains(category))
        }
        // The tables hold numpy's distances (float32 inputs: within 1e-5).
        let aligned = try #require(truth["aligned_distance"] as? [Double])
        let cosine = try #require(truth["cosine_distance"] as? [Double])
        let rows = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("tables/concept_drift.json"))) as? [[String: Any]])
        #expect(rows.count == aligned.count)
        for (i, row) in rows.enumerated() {
            #expect(abs((row["procrustes_distance"] as? Double ?? .nan) - aligned[i]) < 1e-5)
            #expect(abs((row["cosine_distance"] as? Double ?? .nan) - cosine[i]) < 1e-5)
        }
    }

    // MARK: - Bad input

    @Test func badInputIsRefusedAndNothingIsOverwritten() throws {
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let vocabulary = Self.fixture("concepts.csv").path
        let out = folder.appendingPathComponent("run")
        let good = try Self.run(
            [
                "import", "base=\(Self.fixture("base.npy").path)", "tuned=\(Self.fixture("tuned.npy").path)",
                "--vocab", vocabulary, "--out", out.path, "--quiet",
            ] + Self.fast)
        #expect(good.status == 0, "\(good.stderr)")
        let before = try FolderSnapshot.files(in: out)

        // NaN in an array.
        var values = try NumpyArray(contentsOf: Self.fixture("tuned.npy")).floatValues()
        values[5 * 32 + 3] = .nan
        let nanFile = folder.appendingPathComponent("nan.npy")
        try NumpyArray(floats: values, shape: [80, 32]).write(to: nanFile)
        // Fewer rows than concepts (another concept list).
        let shortFile = folder.appendingPathComponent("short.npy")
        try NumpyArray(floats: Array(values[0..<(79 * 32)]), shape: [79, 32]).write(to: shortFile)
        // Another vocabulary than the run's.
        let otherVocabulary = folder.appendingPathComponent("other.csv")
        try Data(("term,category\n" + (0..<80).map { "x\($0),c\n" }.joined()).utf8).write(to: otherVocabulary)

        let cases: [([String], String)] = [
            (
                ["import", "base=\(Self.fixture("base.npy").path)", "tuned=\(nanFile.path)", "--vocab", vocabulary],
                "finite"
            ),
            (
                ["import", "base=\(Self.fixture("base.npy").path)", "tuned=\(shortFile.path)", "--vocab", vocabulary],
                "79"
            ),
            (
                [
                    "import", "base=\(Self.fixture("base.npy").path)", "tuned=\(Self.fixture("tuned.npy").path)",
                    "--vocab", otherVocabulary.path,
                ],
                "concept lists differ"
            ),
            (
                [
                    "import", "base=\(Self.fixture("base.npy").path)", "tuned=\(Self.fixture("tuned.npy").path)",
                    "--vocab", vocabulary, "--k", "80",
                ], "k = 80"
            ),
            (["import", "base=\(Self.fixture("base.npy").path)", "--vocab", vocabulary], "at least two"),
            (["import", "base", "tuned=\(Self.fixture("tuned.npy").path)", "--vocab", vocabulary], "name=file.npy"),
        ]
        for (arguments, message) in cases {
            let outcome = try Self.run(arguments + ["--out", out.path, "--quiet"])
            #expect(outcome.status == 1, "\(arguments)")
            #expect(outcome.stderr.hasPrefix("error: "), "\(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        }
        let analyze = try Self.run(["analyze", out.path, "--k", "100", "--quiet"])
        #expect(analyze.status == 1)
        #expect(analyze.stderr.contains("k = 100"), "\(analyze.stderr)")
        let compare = try Self.run([
            "compare", "a=\(ExtractTests.checkpoint("llama").path)", "b=\(ExtractTests.checkpoint("qwen2").path)",
            "--vocab", vocabulary, "--out", out.path, "--k", "80", "--quiet",
        ])
        #expect(compare.status == 1)
        #expect(compare.stderr.contains("k = 80"), "\(compare.stderr)")
        #expect(try FolderSnapshot.files(in: out) == before, "a refused command changed the run directory")

        // A run directory of another schema version.
        var manifest = try Self.manifest(out)
        manifest["format_version"] = 99
        try JSONSerialization.data(withJSONObject: manifest).write(to: out.appendingPathComponent("manifest.json"))
        let tables = try FolderSnapshot.files(in: out.appendingPathComponent("tables"))
        let newer = try Self.run(["analyze", out.path, "--quiet"])
        #expect(newer.status == 1)
        #expect(newer.stderr.contains("format version 99"), "\(newer.stderr)")
        #expect(try FolderSnapshot.files(in: out.appendingPathComponent("tables")) == tables)
        let missing = try Self.run(["analyze", folder.appendingPathComponent("nothing").path, "--quiet"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("not a run directory"), "\(missing.stderr)")
    }
}
