import DriftCore
import Foundation
import Testing

@testable import DriftAnalysis

/// umap-learn's fit and `transform` on a small clustered set (`Scripts/fixtures/umap_transform.py`).
struct TransformFixture: Decodable {
    var n_neighbors: Int
    var min_dist: Float
    var n_epochs: Int
    var points: Int
    var dimension: Int
    var data: [Float]
    var labels: [Int]
    var embedding: [Float]
    var new_points: [Float]
    var new_labels: [Int]
    var transformed: [Float]
    var transformed_other_seeds: [[Float]]

    static func load() throws -> TransformFixture {
        let root = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let url = root.appendingPathComponent("umap/transform_cosine.json")
        return try JSONDecoder().decode(TransformFixture.self, from: Data(contentsOf: url))
    }
}

/// A model rebuilt from stored coordinates (what the explorer's live mode does) places new points as umap-learn's
/// fitted model does.
@Suite struct UMAPStoredModelTests {
    static func model(_ f: TransformFixture) throws -> UMAPModel {
        var options = UMAPOptions()
        options.neighbors = f.n_neighbors
        options.minDistance = f.min_dist
        options.metric = .cosine
        options.epochs = f.n_epochs
        options.reproducible = true
        return try UMAPModel(
            storedEmbedding: Matrix(rows: f.points, columns: 2, storage: f.embedding),
            training: Matrix(rows: f.points, columns: f.dimension, storage: f.data), options: options)
    }

    static func distances(_ a: [Float], _ b: [Float]) -> [Double] {
        stride(from: 0, to: a.count, by: 2).map { i in
            let dx = Double(a[i] - b[i]), dy = Double(a[i + 1] - b[i + 1])
            return (dx * dx + dy * dy).squareRoot()
        }
    }

    /// The label most common among the 10 training points nearest to `(x, y)` in the embedding.
    static func cluster(of x: Float, _ y: Float, _ f: TransformFixture) -> Int {
        let order = (0..<f.points).sorted {
            let a = pow(f.embedding[2 * $0] - x, 2) + pow(f.embedding[2 * $0 + 1] - y, 2)
            let b = pow(f.embedding[2 * $1] - x, 2) + pow(f.embedding[2 * $1 + 1] - y, 2)
            return a != b ? a < b : $0 < $1
        }
        var votes: [Int: Int] = [:]
        for i in order.prefix(10) { votes[f.labels[i], default: 0] += 1 }
        return votes.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? -1
    }

    /// New points land where umap-learn's `transform` puts them, as closely as umap-learn agrees with itself.
    ///
    /// `transform` samples negatives at random, so umap-learn places a point differently for each transform seed:
    /// the bound is twice its own seed-to-seed spread (mean and worst point), recorded by the generator. Random
    /// placement in this embedding (extent ≈ 22) would be ~8 away on average.
    @Test func transformMatchesUmapLearnWithinItsOwnSeedSpread() throws {
        let f = try TransformFixture.load()
        let model = try Self.model(f)
        #expect(model.neighbors == 15)
        let placed = try model.transform(
            Matrix(rows: f.new_labels.count, columns: f.dimension, storage: f.new_points))
        #expect(placed.storage.allSatisfy { $0.isFinite })
        let ours = Self.distances(placed.storage, f.transformed)
        let spreads = f.transformed_other_seeds.map { Self.distances($0, f.transformed) }
        let spreadMean = spreads.map { $0.reduce(0, +) / Double($0.count) }.max() ?? 0
        let spreadMax = spreads.map { $0.max() ?? 0 }.max() ?? 0
        let mean = ours.reduce(0, +) / Double(ours.count)
        #expect(spreadMean > 0)
        #expect(mean <= 2 * spreadMean, "mean distance to umap-learn \(mean) vs its seed spread \(spreadMean)")
        #expect((ours.max() ?? 0) <= 2 * spreadMax, "worst distance \(ours.max() ?? 0) vs \(spreadMax)")
        // Each point lands in the same cluster of training points as umap-learn puts it.
        var same = 0
        for i in 0..<placed.rows {
            let mine = Self.cluster(of: placed[i, 0], placed[i, 1], f)
            let theirs = Self.cluster(of: f.transformed[2 * i], f.transformed[2 * i + 1], f)
            if mine == theirs { same += 1 }
        }
        #expect(Double(same) / Double(placed.rows) >= 0.9, "\(same) of \(placed.rows) in umap-learn's cluster")
        print(
            "rebuilt UMAP transform vs umap-learn: mean distance \(mean), worst \(ours.max() ?? 0); umap-learn's own "
                + "seed spread: mean \(spreadMean), worst \(spreadMax); same cluster \(same)/\(placed.rows)")
    }

    /// Deterministic: the same points give the same positions (the explorer's cache relies on it).
    @Test func rebuiltTransformIsDeterministic() throws {
        let f = try TransformFixture.load()
        let data = Matrix(rows: f.new_labels.count, columns: f.dimension, storage: f.new_points)
        let a = try Self.model(f).transform(data)
        let b = try Self.model(f).transform(data)
        #expect(a.storage == b.storage)
    }

    @Test func mismatchedStoredShapesAreRefused() throws {
        let f = try TransformFixture.load()
        #expect(throws: DriftError.self) {
            _ = try UMAPModel(
                storedEmbedding: Matrix(rows: f.points - 1, columns: 2, storage: Array(f.embedding.dropLast(2))),
                training: Matrix(rows: f.points, columns: f.dimension, storage: f.data), options: UMAPOptions())
        }
    }
}
