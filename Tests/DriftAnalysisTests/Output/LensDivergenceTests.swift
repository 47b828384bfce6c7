import DriftCore
import Foundation
import Testing

@testable import DriftAnalysis

/// `LensDivergence` on spilled lens logits of an imported run: a row per concept, layer and pair, each the
/// divergence of that concept's two rows; a concept whose logits are not finite at a layer gets no row (and the
/// analysis leaves that layer out) instead of failing the run; rows of pairs not compared again are kept.
@Suite struct LensDivergenceTests {
    static let (concepts, hidden, vocabulary) = (6, 4, 50)

    /// An imported run of `names` (one layer each) and a spill per name of random lens logits.
    static func run(_ names: [String], in folder: URL) throws -> (
        run: URL, spills: [String: URL], logits: [String: [Float]]
    ) {
        var random = SeededRandom(seed: 3)
        let run = folder.appendingPathComponent("run")
        var sources: [RunImport.Source] = []
        var spills: [String: URL] = [:]
        var logits: [String: [Float]] = [:]
        for name in names {
            let vectors = (0..<(concepts * hidden)).map { _ in Float(random.nextNormal()) }
            let file = folder.appendingPathComponent("\(name).npy")
            try NumpyArray(floats: vectors, shape: [concepts, hidden]).write(to: file)
            sources.append(RunImport.Source(name: name, file: file))
            let values = (0..<(concepts * vocabulary)).map { _ in Float(3 * random.nextNormal()) }
            logits[name] = values
            let spill = folder.appendingPathComponent("lens_\(name).npy")
            let writer = try LensLogitsFile(creating: spill, layers: 1, concepts: concepts, vocabulary: vocabulary)
            for c in 0..<concepts {
                try values[(c * vocabulary)..<((c + 1) * vocabulary)].withUnsafeBufferPointer {
                    try writer.write($0, layer: 0, concept: c)
                }
            }
            spills[name] = spill
        }
        try RunImport.run(
            sources, concepts: (0..<concepts).map { ("t\($0)", $0 % 2 == 0 ? "even" : "odd") }, vocabularyName: "v",
            vocabularyHash: "none", into: run, toolVersion: "test")
        return (run, spills, logits)
    }

    @Test func everyPairLayerAndConceptGetsItsDivergence() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lens-div-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (run, spills, logits) = try Self.run(["a", "b", "c"], in: folder)
        let layout = RunLayout(run)
        let (a, b, c) = (try #require(spills["a"]), try #require(spills["b"]), try #require(spills["c"]))
        try LensDivergence.write(spills: ["a": a, "b": b], order: ["a", "b", "c"], directory: run)
        var rows = try TableFile.read(LensDivergenceRow.self, in: layout)
        #expect(rows.count == Self.concepts)
        let layer = try RunDirectory(run).variant("a").layers[0]
        for (k, row) in rows.enumerated() {
            let rowsOf = { (name: String) in
                Array((logits[name] ?? [])[(k * Self.vocabulary)..<((k + 1) * Self.vocabulary)])
            }
            let expected = try NextTokenDivergence(logitsA: rowsOf("a"), logitsB: rowsOf("b"))
            #expect(row.layer == layer && row.divergence.term == "t\(k)" && row.divergence.js == expected.jensenShannon)
        }
        // A later run that spills only b and c: (a, b) is dropped (b changed), (b, c) is written.
        try LensDivergence.write(spills: ["b": b, "c": c], order: ["a", "b", "c"], directory: run)
        rows = try TableFile.read(LensDivergenceRow.self, in: layout)
        #expect(Set(rows.map { "\($0.divergence.variantA)-\($0.divergence.variantB)" }) == ["b-c"])
    }

    @Test func aConceptWithoutFiniteLogitsGetsNoRowAndItsLayerNoSummary() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lens-div-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (run, spills, _) = try Self.run(["a", "b"], in: folder)
        let overflowing = [Float](repeating: .infinity, count: Self.vocabulary)
        // b's spill again, zeros but for concept 2, whose logits overflowed.
        let b = try LensLogitsFile(
            creating: try #require(spills["b"]), layers: 1, concepts: Self.concepts, vocabulary: Self.vocabulary)
        try overflowing.withUnsafeBufferPointer { try b.write($0, layer: 0, concept: 2) }
        try LensDivergence.write(spills: spills, order: ["a", "b"], directory: run)
        let rows = try TableFile.read(LensDivergenceRow.self, in: RunLayout(run))
        #expect(rows.map(\.divergence.term) == ["t0", "t1", "t3", "t4", "t5"])
        let summaries = try NextTokenAnalysis.lensSummaries(
            directory: run, variants: ["a", "b"], resamples: 50, seed: 1)
        #expect(summaries.isEmpty)
    }
}
