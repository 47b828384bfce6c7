import DriftCore
import Foundation
import Testing

/// A clustered data set with umap-learn's intermediate results, written by `Scripts/fixtures/umap.py`.
struct UMAPFixture: Decodable {
    var generator: String
    var metric: String
    var n_neighbors: Int
    var points: Int
    var dimension: Int
    var data: [Float]
    var labels: [Int]
    var knn_indices: [Int32]
    var knn_dists: [Float]
    var sigmas: [Float]
    var rhos: [Float]
    var graph_rows: [Int32]
    var graph_cols: [Int32]
    var graph_vals: [Float]
    var embedding: [Float]
    var trustworthiness: Double
    var knn_preservation: Double
    var new_points: [Float]
    var new_labels: [Int]
    var transform_accuracy: Double

    var matrix: Matrix { Matrix(rows: points, columns: dimension, storage: data) }
    var newMatrix: Matrix { Matrix(rows: new_points.count / dimension, columns: dimension, storage: new_points) }

    static func load(_ name: String) throws -> UMAPFixture {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let url = root.appendingPathComponent("umap").appendingPathComponent(name)
        return try JSONDecoder().decode(UMAPFixture.self, from: Data(contentsOf: url))
    }
}

/// umap-learn's `find_ab_params` results.
struct CurveFixture: Decodable {
    struct Case: Decodable {
        var min_dist: Double
        var spread: Double
        var a: Double
        var b: Double
    }
    var generator: String
    var cases: [Case]

    static func load() throws -> CurveFixture {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let url = root.appendingPathComponent("umap").appendingPathComponent("curve.json")
        return try JSONDecoder().decode(CurveFixture.self, from: Data(contentsOf: url))
    }
}
