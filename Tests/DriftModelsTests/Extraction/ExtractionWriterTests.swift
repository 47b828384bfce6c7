import DriftCore
import Foundation
import Testing

@testable import DriftModels

@Suite struct ExtractionWriterTests {
    /// L2 normalisation equals scikit-learn's `normalize` (a zero row stays zero).
    @Test func normalisationMatchesScikitLearn() throws {
        let fixture = try #require(try ExtractionFixtures.json("normalize.json") as? [String: Any])
        let rows = try #require(fixture["rows"] as? Int)
        let columns = try #require(fixture["columns"] as? Int)
        let input = try #require(fixture["input"] as? [Double]).map(Float.init)
        let expected = try #require(fixture["expected"] as? [Double]).map(Float.init)
        var matrix = Matrix(rows: rows, columns: columns, storage: input)
        EmbeddingSet.normalizeRows(&matrix)
        for (got, want) in zip(matrix.storage, expected) {
            #expect(abs(got - want) <= 2e-7 * max(1, abs(want)))
        }
    }

    static func makeSet(vocabulary: Vocabulary = ExtractorTests.vocabulary, layers: LayerSelection = .all) throws
        -> EmbeddingSet
    {
        let settings = ExtractionSettings(layers: layers, maxBatchTokens: 12)
        return try Extractor(tokenizer: WordTokenizer(), model: FakeModel(), settings: settings).extract(vocabulary)
    }

    static func record(_ name: String, settings: ExtractionSettings = ExtractionSettings()) -> VariantRecord {
        VariantRecord(
            name: name, modelPath: "/models/\(name)",
            modelFiles: ModelFiles(
                hash: String(repeating: "ab", count: 32), weightDType: "BF16", files: ["config.json"]),
            settings: settings, layerCount: 3, toolVersion: "9.9.9", loadSeconds: 0.5)
    }

    @Test func writesEveryFileWithTheRightShapes() throws {
        let folder = try ExtractionFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run")
        let set = try Self.makeSet()
        try ExtractionWriter.write(set, record: Self.record("base"), to: out)

        let concepts = ExtractorTests.vocabulary.count
        let embeddings = try Self.readNpy(out.appendingPathComponent("embeddings_base.npy"))
        #expect(embeddings.shape == [concepts, 8])
        let raw = set.matrix(atLayerPosition: 3)
        for row in 0..<concepts {
            let vector = Array(embeddings.values[(row * 8)..<((row + 1) * 8)])
            let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-6)
            // Same direction as the raw last-layer vector.
            let rawRow = raw.row(row)
            let rawNorm = rawRow.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            let cosine = zip(vector, rawRow).reduce(0) { $0 + Double($1.0) * Double($1.1) } / rawNorm
            #expect(cosine > 0.999999)
        }
        let hidden = try Self.readNpy(out.appendingPathComponent("hidden_base.npy"))
        #expect(hidden.shape == [4, concepts, 8])
        #expect(hidden.values == set.values)

        let metadata = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: out.appendingPathComponent("concept_metadata.json"))) as? [String: Any])
        #expect(metadata["concepts"] as? [String] == ExtractorTests.vocabulary.terms)
        #expect((metadata["categories"] as? [String: String])?["France"] == "c1")
        #expect(metadata["template"] as? String == "The concept of {term} is")

        let manifest = try #require(try RunManifest.read(in: out))
        #expect(manifest.format == "embedding-drift-run")
        #expect(manifest.variants.count == 1)
        let entry = manifest.variants[0]
        #expect(entry.name == "base")
        #expect(entry.dtype == "BF16")
        #expect(entry.layers == [0, 1, 2, 3])
        #expect(entry.tokenCounts == set.tokenCounts)
        #expect(entry.fingerprint == Self.record("base").fingerprint(vocabulary: ExtractorTests.vocabulary))
        #expect(entry.fingerprint?.count == 64)
        // Nothing but the outputs in the folder (no staging left behind).
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(names == ["concept_metadata.json", "embeddings_base.npy", "hidden_base.npy", "manifest.json"])
    }

    @Test func manifestMergesVariantsKeepsOrderAndUnknownKeys() throws {
        let out = try ExtractionFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let set = try Self.makeSet()
        try ExtractionWriter.write(set, record: Self.record("base"), to: out)
        // Another tool adds a key; it must survive.
        let url = out.appendingPathComponent("manifest.json")
        var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        root["other_tool"] = ["k": 10]
        try JSONSerialization.data(withJSONObject: root).write(to: url)

        try ExtractionWriter.write(set, record: Self.record("instruct"), to: out)
        let lastOnly = try Self.makeSet(layers: .last)
        try ExtractionWriter.write(
            lastOnly, record: Self.record("base", settings: ExtractionSettings(layers: .last)), to: out)
        let manifest = try #require(try RunManifest.read(in: out))
        let variants = manifest.variants
        #expect(variants.map(\.name) == ["base", "instruct"])
        #expect(variants[0].layers == [3])
        #expect(variants[0].fingerprint != variants[1].fingerprint)
        #expect(manifest.otherKeys["other_tool"] == .object(["k": .integer(10)]))
        let hidden = try Self.readNpy(out.appendingPathComponent("hidden_base.npy"))
        #expect(hidden.shape == [1, ExtractorTests.vocabulary.count, 8])
    }

    @Test func completedVariantIsFoundByFingerprint() throws {
        let out = try ExtractionFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let record = Self.record("base")
        let fingerprint = record.fingerprint(vocabulary: ExtractorTests.vocabulary)
        #expect(try ExtractionWriter.completedVariant(fingerprint: fingerprint, in: out) == nil)
        try ExtractionWriter.write(try Self.makeSet(), record: record, to: out)
        #expect(try ExtractionWriter.completedVariant(fingerprint: fingerprint, in: out) == "base")
        let other = Self.record("base", settings: ExtractionSettings(pooling: .mean))
        #expect(
            try ExtractionWriter.completedVariant(
                fingerprint: other.fingerprint(vocabulary: ExtractorTests.vocabulary), in: out) == nil)
        try FileManager.default.removeItem(at: out.appendingPathComponent("hidden_base.npy"))
        #expect(try ExtractionWriter.completedVariant(fingerprint: fingerprint, in: out) == nil)
    }

    @Test func anotherVocabularyOrABadManifestChangesNothing() throws {
        let out = try ExtractionFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        try ExtractionWriter.write(try Self.makeSet(), record: Self.record("base"), to: out)
        let before = try Self.snapshot(out)

        let other = try Vocabulary(name: "other", concepts: [Concept(term: "France"), Concept(term: "water")])
        let error = try #require(throws: DriftError.self) {
            try ExtractionWriter.write(try Self.makeSet(vocabulary: other), record: Self.record("other"), to: out)
        }
        #expect(error.message.contains("another vocabulary"))
        #expect(try Self.snapshot(out) == before)

        #expect(throws: DriftError.self) {
            try ExtractionWriter.write(try Self.makeSet(), record: Self.record("../evil"), to: out)
        }
        #expect(try Self.snapshot(out) == before)

        let manifest = out.appendingPathComponent("manifest.json")
        try Data("{\"format\": \"embedding-drift-run\", \"format_version\": 99}".utf8).write(to: manifest)
        let newer = try #require(throws: DriftError.self) {
            try ExtractionWriter.write(try Self.makeSet(), record: Self.record("x"), to: out)
        }
        #expect(newer.kind == .unsupported)
        try Data("not json".utf8).write(to: manifest)
        #expect(throws: DriftError.self) {
            try ExtractionWriter.write(try Self.makeSet(), record: Self.record("x"), to: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("embeddings_x.npy").path))
    }

    @Test func namesAreValidatedAndDefaultedFromTheModelPath() throws {
        #expect(ExtractionWriter.defaultName(forModelAt: URL(fileURLWithPath: "/m/Llama-3.2-1B")) == "Llama-3.2-1B")
        #expect(
            ExtractionWriter.defaultName(forModelAt: URL(fileURLWithPath: "/m/gemma 3 (q4).gguf")) == "gemma-3--q4-")
        #expect(ExtractionWriter.defaultName(forModelAt: URL(fileURLWithPath: "/m/tiny/")) == "tiny")
        for bad in ["", ".hidden", "a/b", "x y", String(repeating: "a", count: 101)] {
            #expect(throws: DriftError.self) { try ExtractionWriter.validate(name: bad) }
        }
        try ExtractionWriter.validate(name: "base_v1.2-instruct")
    }

    /// The shape and float32 values of a `.npy` file (read with DriftCore's reader, itself checked against numpy).
    static func readNpy(_ url: URL) throws -> (shape: [Int], values: [Float]) {
        let array = try NumpyArray(contentsOf: url)
        #expect(array.elementType == .float32)
        return (array.shape, array.floatValues())
    }

    /// File names and contents of a folder.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            result[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return result
    }
}
