import DriftAnalysis
import DriftCore
import Foundation
import Testing

/// A small but real run directory: seeded random hidden states for three variants imported with ``RunImport`` and
/// analysed with ``RunAnalysis`` (the same code `compare` runs), so the tables the explorer serves are the pipeline's.
enum FixtureRun {
    static let variants = ["base", "instruct", "tuned"]
    static let terms: [(term: String, category: String)] = [
        ("Muslim", "demographic"), ("Christian", "demographic"), ("Jewish", "demographic"), ("Hindu", "demographic"),
        ("woman", "demographic"), ("man", "demographic"), ("immigrant", "demographic"), ("elderly", "demographic"),
        ("doctor", "profession"), ("nurse", "profession"), ("engineer", "profession"), ("teacher", "profession"),
        ("lawyer", "profession"), ("farmer", "profession"), ("pilot", "profession"), ("chef", "profession"),
        ("Paris", "factual"), ("water", "factual"), ("gravity", "factual"), ("oxygen", "factual"),
        ("mountain", "factual"), ("river", "factual"), ("planet", "factual"), ("Mussolini", "factual"),
    ]
    static let layers = 3
    static let hidden = 8

    /// The run directory, built once per process in a temporary folder.
    static let url: Result<URL, any Error> = Result { try build() }

    static func build() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "explorer-fixture-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var state: UInt64 = 7
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Double(state >> 11) / Double(1 << 53)) * 2 - 1
        }
        let n = terms.count
        let base = (0..<(layers * n * hidden)).map { _ in next() }
        var sources: [RunImport.Source] = []
        for (v, name) in variants.enumerated() {
            // Each later variant moves further; demographic concepts move more.
            let values = base.indices.map { k -> Float in
                let concept = (k / hidden) % n
                let scale: Float = terms[concept].category == "demographic" ? 0.9 : 0.3
                return base[k] + Float(v) * scale * next()
            }
            let file = dir.appendingPathComponent("in_\(name).npy")
            try NumpyArray(floats: values, shape: [layers, n, hidden]).write(to: file)
            sources.append(RunImport.Source(name: name, file: file))
        }
        let run = dir.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
        try RunImport.run(
            sources, concepts: terms, vocabularyName: "fixture", vocabularyHash: "none", into: run,
            toolVersion: "test")
        var options = RunAnalysis.Options()
        options.k = 5
        options.resamples = 200
        options.permutations = 200
        options.umapEpochs = 50
        let directory = try RunDirectory(run)
        try RunAnalysis(run: directory, options: options).write(to: directory, toolVersion: "test")
        return run
    }

    /// `tables/<name>.json` read independently of the explorer.
    static func table(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: try url.get().appendingPathComponent("tables/\(name).json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }
}
