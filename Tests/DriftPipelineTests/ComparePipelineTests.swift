import DriftCore
import DriftModels
import Foundation
import Testing

@testable import DriftAnalysis
@testable import DriftPipeline

/// `ComparePipeline` from Swift: a request value in, a run directory and one stream of events out.
@Suite struct ComparePipelineTests {
    /// Collects events from any thread.
    final class Events: @unchecked Sendable {
        // Safe to share: `list` is only touched while holding `lock`.
        private let lock = NSLock()
        private var list: [PipelineEvent] = []
        func append(_ event: PipelineEvent) { lock.withLock { list.append(event) } }
        var all: [PipelineEvent] { lock.withLock { list } }
    }

    static func request(in folder: URL) throws -> CompareRequest {
        let models = ReadmeExampleTests.root.appendingPathComponent("Tests/DriftModelsTests/Fixtures/models")
        let vocabulary = try Vocabulary(
            name: "six",
            concepts: ["France", "water", "democracy", "Einstein", "virus", "shame"].enumerated().map {
                Concept(term: $1, category: ["a", "b"][$0 % 2])
            })
        var request = CompareRequest(
            variants: [
                .init(name: "base", model: models.appendingPathComponent("llama").path),
                .init(name: "tuned", model: models.appendingPathComponent("mistral").path),
            ],
            vocabulary: vocabulary, output: folder.appendingPathComponent("run"),
            settings: ExtractionSettings(pooling: .mean), toolVersion: "test")
        request.analysis.k = 2
        request.analysis.resamples = 50
        request.analysis.permutations = 50
        request.writesReport = false
        return request
    }

    @Test func aRequestRunsEndToEndAndASecondRunReusesEverything() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let request = try Self.request(in: folder)
        let events = Events()
        let first = try ComparePipeline(request).run { events.append($0) }
        #expect(first.extracted == ["base", "tuned"] && first.reused.isEmpty)
        #expect(first.analysis?.variants == ["base", "tuned"])
        #expect(first.report == nil)
        let seen = events.all
        #expect(seen.contains(.loading(variant: "tuned", completed: 0, total: nil)))
        #expect(seen.contains { if case .extracting(let label, _, _) = $0 { label == "base" } else { false } })
        #expect(seen.contains(.writingTables))
        #expect(!seen.contains(.writingReport))

        let manifest = try #require(try RunManifest.read(in: request.output))
        #expect(manifest.lastRun?.extracted == ["base", "tuned"])
        #expect(manifest.analysis?.settings?.k == 2)
        #expect(TableFile.exists(GlobalRow.self, in: RunLayout(request.output)))

        let second = try ComparePipeline(request).run()
        #expect(second.extracted.isEmpty && second.reused == ["base", "tuned"])
        #expect(second.analysis?.globalRows == first.analysis?.globalRows)
    }

    /// The in-memory weight bytes of a fixture checkpoint, as the budget counts them.
    static func weightBytes(_ model: String) throws -> Int {
        MemoryPlan(spec: try ArchitectureSpec(configFile: model)).inMemoryWeightBytes
    }

    /// The schedule counts a bf16 checkpoint as the loader holds it (its linear weights in bf16 for the float32
    /// kernel), not as float32 throughout; a quantized view of it stays counted in float32.
    @Test func theScheduleCountsABF16CheckpointAsTheLoaderHoldsIt() throws {
        let models = ReadmeExampleTests.root.appendingPathComponent("Tests/DriftModelsTests/Fixtures/models")
        let path = models.appendingPathComponent("llama-bf16").path
        let spec = try ArchitectureSpec(configFile: path)
        let weights = try HuggingFaceWeights(spec: spec, store: try SafetensorsStore(path: path), path: path)
        let counted = try ComparePipeline.weightBytes(try ModelReference(parsing: path), compute: .f32)
        #expect(counted == MemoryPlan(source: weights).inMemoryWeightBytes)
        let float32 = MemoryPlan(spec: spec).inMemoryWeightBytes
        if LinearWeights.usesF32Kernel { #expect(counted < float32) } else { #expect(counted == float32) }
        #expect(try ComparePipeline.weightBytes(try ModelReference(parsing: path + "@q8_0"), compute: .f32) == float32)
    }

    @Test func theNextVariantLoadsWhileTheCurrentOneExtractsWhenTheBudgetHoldsBoth() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let request = try Self.request(in: folder)
        let events = Events()
        let outcome = try ComparePipeline(request).run { events.append($0) }
        #expect(outcome.extracted == ["base", "tuned"])
        #expect(events.all.contains(.loading(variant: "tuned", completed: 0, total: nil)))
        let pipeline = try #require(try RunManifest.read(in: request.output)?.lastRun?.pipeline)
        #expect(pipeline.overlapped && pipeline.note == nil)
        let phases = pipeline.phases.map { "\($0.variant) \($0.phase)" }
        #expect(Set(phases) == ["base load", "base extract", "tuned load", "tuned extract"])
        let baseLoad = try #require(pipeline.phases.first { $0.variant == "base" && $0.phase == "load" })
        let tunedLoad = try #require(pipeline.phases.first { $0.variant == "tuned" && $0.phase == "load" })
        let tunedExtract = try #require(pipeline.phases.first { $0.variant == "tuned" && $0.phase == "extract" })
        // The second model starts loading once the first is in memory, and is in memory before it extracts.
        #expect(tunedLoad.start >= baseLoad.end && tunedLoad.end <= tunedExtract.start)
        #expect(pipeline.overlapSeconds >= 0)
    }

    /// `--max-memory` with room for one variant's weights but not two: the variants load one after another, each
    /// held in memory (not streamed), and the manifest says why.
    @Test func aBudgetThatHoldsOneVariantButNotTwoLoadsThemInTurn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var request = try Self.request(in: folder)
        let sizes = try request.variants.map { try Self.weightBytes($0.model) }
        let budget = try #require(sizes.max()) + 1
        #expect(sizes.reduce(0, +) > budget)
        request.budget = MemoryBudget(bytes: budget)
        let events = Events()
        let outcome = try ComparePipeline(request).run { events.append($0) }
        #expect(outcome.extracted == ["base", "tuned"])
        #expect(!events.all.contains { if case .streaming = $0 { true } else { false } })
        let pipeline = try #require(try RunManifest.read(in: request.output)?.lastRun?.pipeline)
        #expect(!pipeline.overlapped)
        #expect(pipeline.note?.contains("holds one variant's weights but not two") == true)
        #expect(pipeline.overlapSeconds == 0)
        let baseExtract = try #require(pipeline.phases.first { $0.variant == "base" && $0.phase == "extract" })
        let tunedLoad = try #require(pipeline.phases.first { $0.variant == "tuned" && $0.phase == "load" })
        #expect(tunedLoad.start >= baseExtract.end)
    }

    @Test func nextTokensAreReadByDefaultForCausalModelsOnly() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let models = ReadmeExampleTests.root.appendingPathComponent("Tests/DriftModelsTests/Fixtures/models")
        var request = try Self.request(in: folder)
        request.settings = ExtractionSettings(pooling: .last)
        request.variants = [
            .init(name: "base", model: models.appendingPathComponent("llama").path),
            .init(name: "again", model: models.appendingPathComponent("llama").path),
            .init(name: "encoder", model: models.appendingPathComponent("bert").path),
        ]
        let outcome = try ComparePipeline(request).run()
        #expect(outcome.reused == ["again"])
        let layout = RunLayout(request.output)
        for name in ["base", "again"] {
            #expect(FileManager.default.fileExists(atPath: layout.logits(name).path))
            let next = try TableFile.readCSV(LogitLensRow.self, at: layout.nextTokens(name))
            #expect(next.count == 6 * 10 && next.allSatisfy { $0.layer == 2 })
        }
        #expect(!FileManager.default.fileExists(atPath: layout.logits("encoder").path))
        #expect(!FileManager.default.fileExists(atPath: layout.nextTokens("encoder").path))
        let rows = try TableFile.read(NextTokenRow.self, in: layout)
        #expect(
            rows.count == 6 && rows.allSatisfy { $0.variantA == "base" && $0.variantB == "again" && abs($0.js) < 1e-12 }
        )

        // Asked for, the readout is refused for the encoder before anything is written for it.
        request.readoutRequired = true
        request.output = folder.appendingPathComponent("required")
        #expect(throws: DriftError.self) { try ComparePipeline(request).run() }
        #expect(!FileManager.default.fileExists(atPath: RunLayout(request.output).hidden("encoder").path))
    }

    /// The category tests of JS adjusted for the covariates are the drift's adjustment (``CovariateAdjustment``,
    /// checked against statsmodels) applied to the pair's JS with the covariates `tables/covariates` records; with
    /// `covariates: []` (`--covariates none`) there are none.
    @Test func nextTokenDivergenceIsAdjustedForTheCovariates() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let models = ReadmeExampleTests.root.appendingPathComponent("Tests/DriftModelsTests/Fixtures/models")
        var request = try Self.request(in: folder)
        request.settings = ExtractionSettings(pooling: .last)
        request.variants = [
            .init(name: "base", model: models.appendingPathComponent("llama").path),
            .init(name: "half", model: models.appendingPathComponent("llama-bf16").path),
        ]
        let outcome = try ComparePipeline(request).run()
        let analysis = try #require(outcome.analysis)
        let layout = RunLayout(request.output)
        let rows = try TableFile.read(NextTokenRow.self, in: layout)
        let set = try #require(
            NextTokenAnalysis.covariates(of: "base", terms: rows.map(\.term), in: analysis.covariateTable))
        // The tokenizer's frequency proxy, recorded at extraction, is one of them.
        #expect(set.names.contains("frequency") && set.names.contains("tokens"), "\(set.names)")
        let manifest = try #require(try RunManifest.read(in: request.output))
        #expect(manifest.variant("base")?.tokenFrequency?.count == rows.count)
        let expected = try CovariateAdjustment.withRaw(
            drift: rows.map(\.js), categories: rows.map(\.category), covariates: set,
            permutations: request.analysis.permutations, resamples: request.analysis.resamples,
            confidence: request.analysis.confidence, seed: request.analysis.seed
        ).adjusted
        let tests = try TableFile.read(AdjustedNextTokenCategoryTestRow.self, in: layout)
        func same(_ x: [Double], _ y: [Double]) -> Bool {
            x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
        #expect(!tests.isEmpty)
        #expect(same(tests.map(\.test.difference), expected.tests.map(\.difference)))
        #expect(same(tests.map(\.test.pHolm), expected.tests.map(\.pHolm)))
        let means = try TableFile.read(AdjustedNextTokenCategoryRow.self, in: layout)
        #expect(same(means.map(\.category.meanJS), expected.statistics.map(\.mean.estimate)))

        request.analysis.covariates = []
        request.output = folder.appendingPathComponent("none")
        _ = try ComparePipeline(request).run()
        #expect(!TableFile.exists(AdjustedNextTokenCategoryTestRow.self, in: RunLayout(request.output)))
    }

    @Test func aBadRequestIsRefusedBeforeAnyModelLoads() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var request = try Self.request(in: folder)
        request.noiseTemplates = ["only {term}"]
        let events = Events()
        let error = try #require(throws: DriftError.self) { try ComparePipeline(request).run { events.append($0) } }
        #expect(error.message.contains("at least two templates"))
        #expect(events.all.isEmpty)
        request.noiseTemplates = []
        request.analysis.k = 6
        #expect(throws: DriftError.self) { try ComparePipeline(request).run { events.append($0) } }
        #expect(events.all.isEmpty)
    }
}
