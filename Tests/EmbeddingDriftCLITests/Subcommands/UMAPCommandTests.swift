import ArgumentParser
import DriftCore
import Foundation
import Testing

@testable import EmbeddingDriftCLI

@Suite struct UMAPCommandTests {
    /// Four well separated clusters of 40 points in 16 dimensions.
    static func clusters() -> Matrix {
        var random = SeededRandom(seed: 11)
        var m = Matrix(rows: 160, columns: 16)
        for i in 0..<160 {
            for c in 0..<16 { m[i, c] = (c % 4 == i / 40 ? 3 : 0) + Float(random.nextNormal() * 0.3) }
        }
        return m
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("umap-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func writesCoordinatesForEveryRow() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("x.npy")
        let output = dir.appendingPathComponent("y.npy")
        try NumpyArray(matrix: Self.clusters()).write(to: input)
        let command = try UMAPCommand.parse([
            "--in", input.path, "--out", output.path, "--metric", "euclidean", "--epochs", "60", "--quiet",
            "--reproducible",
        ])
        try command.run()
        let y = try NumpyArray.matrix(contentsOf: output)
        #expect(y.rows == 160 && y.columns == 2)
        #expect(y.storage.allSatisfy { $0.isFinite })
    }

    @Test func rejectsBadMetricAndNaNInput() throws {
        #expect(throws: (any Error).self) {
            try UMAPCommand.parse(["--in", "a", "--out", "b", "--metric", "cityblock"])
        }
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var x = Self.clusters()
        x[3, 2] = .nan
        let input = dir.appendingPathComponent("x.npy")
        try NumpyArray(matrix: x).write(to: input)
        let command = try UMAPCommand.parse([
            "--in", input.path, "--out", dir.appendingPathComponent("y.npy").path, "--quiet",
        ])
        do {
            try command.run()
            Issue.record("NaN input was accepted")
        } catch let error as DriftError {
            #expect(error.path == input.path)
            #expect(error.description.contains("NaN") && error.description.contains("row 3"))
        }
    }
}
