import DriftCore
import Foundation
import Testing

@testable import DriftAnalysis

@Suite struct UMAPTests {
    static let metrics = ["cosine", "euclidean"]

    @Test func curveParametersMatchUmapLearn() throws {
        let fixture = try CurveFixture.load()
        for c in fixture.cases {
            let fit = CurveParameters(minDistance: c.min_dist, spread: c.spread)
            #expect(abs(fit.a - c.a) <= 1e-4 * max(1, c.a), "a for min_dist \(c.min_dist), spread \(c.spread)")
            #expect(abs(fit.b - c.b) <= 1e-4, "b for min_dist \(c.min_dist), spread \(c.spread)")
        }
        let standard = CurveParameters(minDistance: 0.1, spread: 1)
        #expect(abs(standard.a - 1.577) < 1e-3 && abs(standard.b - 0.895) < 1e-3)
    }

    @Test(arguments: metrics) func exactNeighborsMatchUmapLearn(metric: String) throws {
        let f = try UMAPFixture.load("clusters_\(metric).json")
        let m = try #require(UMAPMetric(rawValue: f.metric))
        let p = PreparedPoints(f.matrix, metric: m)
        let knn = ExactNeighborSearch.search(queries: p, reference: p, k: f.n_neighbors, selfQueries: true)
        #expect(knn.indices == f.knn_indices)
        let worst = zip(knn.distances, f.knn_dists).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 2e-6)
    }

    @Test(arguments: metrics) func smoothKNNMatchesUmapLearn(metric: String) throws {
        let f = try UMAPFixture.load("clusters_\(metric).json")
        let knn = NeighborGraph(count: f.points, k: f.n_neighbors, indices: f.knn_indices, distances: f.knn_dists)
        let (sigmas, rhos) = SmoothKNN.compute(knn, k: Double(f.n_neighbors))
        #expect(rhos == f.rhos)
        for i in 0..<f.points {
            #expect(abs(sigmas[i] - f.sigmas[i]) <= 1e-5 * f.sigmas[i], "sigma of point \(i)")
        }
    }

    @Test(arguments: metrics) func fuzzyGraphMatchesUmapLearn(metric: String) throws {
        let f = try UMAPFixture.load("clusters_\(metric).json")
        // From umap-learn's neighbours, and from ours.
        let given = NeighborGraph(count: f.points, k: f.n_neighbors, indices: f.knn_indices, distances: f.knn_dists)
        let m = try #require(UMAPMetric(rawValue: f.metric))
        let p = PreparedPoints(f.matrix, metric: m)
        let ours = ExactNeighborSearch.search(queries: p, reference: p, k: f.n_neighbors, selfQueries: true)
        for knn in [given, ours] {
            let graph = UMAP.fuzzyGraph(knn, k: f.n_neighbors, localConnectivity: 1)
            let (heads, tails, weights) = UMAP.edges(of: graph)
            try #require(heads == f.graph_rows)
            try #require(tails == f.graph_cols)
            let worst = zip(weights, f.graph_vals).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-4, "largest weight difference \(worst)")
        }
    }

    @Test(arguments: metrics) func trustworthinessMatchesScikitLearn(metric: String) throws {
        let f = try UMAPFixture.load("clusters_\(metric).json")
        let m = try #require(UMAPMetric(rawValue: f.metric))
        let y = Matrix(rows: f.points, columns: 2, storage: f.embedding)
        let t = ProjectionQuality.trustworthiness(original: f.matrix, embedded: y, k: 10, metric: m)
        // Float32 near-ties may order one neighbour differently from scikit-learn's float64 search.
        #expect(abs(t - f.trustworthiness) < 1e-4, "trustworthiness \(t) vs scikit-learn \(f.trustworthiness)")
        let kept = ProjectionQuality.neighborPreservation(original: f.matrix, embedded: y, k: 10, metric: m)
        #expect(abs(kept - f.knn_preservation) <= 1.0 / Double(f.points * 10) + 1e-12)
    }

    @Test(arguments: metrics) func embeddingQualityCloseToUmapLearn(metric: String) throws {
        let f = try UMAPFixture.load("clusters_\(metric).json")
        var options = UMAPOptions()
        options.neighbors = f.n_neighbors
        options.metric = try #require(UMAPMetric(rawValue: f.metric))
        options.reproducible = true
        let model = try UMAP(options: options).fit(f.matrix)
        #expect(model.embedding.rows == f.points && model.embedding.columns == 2)
        #expect(model.embedding.storage.allSatisfy { $0.isFinite })
        let t = ProjectionQuality.trustworthiness(
            original: f.matrix, embedded: model.embedding, k: 10, metric: options.metric)
        let kept = ProjectionQuality.neighborPreservation(
            original: f.matrix, embedded: model.embedding, k: 10, metric: options.metric)
        #expect(t >= f.trustworthiness - 0.01, "trustworthiness \(t) vs umap-learn \(f.trustworthiness)")
        #expect(kept >= f.knn_preservation - 0.02, "10-NN preservation \(kept) vs umap-learn \(f.knn_preservation)")

        // New points land among the training points of their own cluster, as often as with umap-learn.
        let placed = try model.transform(f.newMatrix)
        #expect(placed.storage.allSatisfy { $0.isFinite })
        let trainY = PreparedPoints(model.embedding, metric: .euclidean)
        let newY = PreparedPoints(placed, metric: .euclidean)
        let nn = ExactNeighborSearch.search(queries: newY, reference: trainY, k: 10, selfQueries: false)
        var correct = 0
        for i in 0..<placed.rows {
            var votes = [Int: Int]()
            for c in 0..<10 { votes[f.labels[Int(nn.indices[i * 10 + c])], default: 0] += 1 }
            let best = votes.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
            if best == f.new_labels[i] { correct += 1 }
        }
        let accuracy = Double(correct) / Double(placed.rows)
        #expect(accuracy >= f.transform_accuracy - 0.05, "transform accuracy \(accuracy) vs \(f.transform_accuracy)")
    }

    @Test func reproducibleForASeed() throws {
        let f = try UMAPFixture.load("clusters_cosine.json")
        var options = UMAPOptions()
        options.reproducible = true
        options.epochs = 100
        let first = try UMAP(options: options).fit(f.matrix)
        let second = try UMAP(options: options).fit(f.matrix)
        #expect(first.embedding == second.embedding)
        options.seed = 7
        let other = try UMAP(options: options).fit(f.matrix)
        #expect(other.embedding != first.embedding)
    }

    @Test func progressReportsEveryEpoch() throws {
        let f = try UMAPFixture.load("clusters_cosine.json")
        var options = UMAPOptions()
        options.epochs = 30
        var epochs = [Int]()
        _ = try UMAP(options: options).fit(f.matrix) { event in
            if case .epoch(let done, let total) = event {
                #expect(total == 30)
                epochs.append(done)
            }
        }
        #expect(epochs == Array(1...30))
    }

    @Test func rejectsNaNAndTooFewPoints() throws {
        var f = try UMAPFixture.load("clusters_cosine.json").matrix
        f[5, 3] = .nan
        #expect(throws: DriftError.self) { try UMAP().fit(f) }
        let tiny = Matrix(rows: 3, columns: 4, repeating: 1)
        #expect(throws: DriftError.self) { try UMAP().fit(tiny) }
        var options = UMAPOptions()
        options.neighbors = 1
        #expect(throws: DriftError.self) { try UMAP(options: options).fit(Matrix(rows: 10, columns: 2, repeating: 1)) }
    }

    @Test func fewerPointsThanNeighborsShrinksTheNeighbourhood() throws {
        let f = try UMAPFixture.load("clusters_euclidean.json")
        let small = Matrix(rows: 12, columns: f.dimension, storage: Array(f.data[0..<(12 * f.dimension)]))
        let model = try UMAP().fit(small)
        #expect(model.neighbors == 11)
        #expect(model.embedding.storage.allSatisfy { $0.isFinite })
    }

    @Test func duplicatePointsGiveFiniteCoordinates() throws {
        let f = try UMAPFixture.load("clusters_cosine.json")
        // Every point three times, and one block of identical rows.
        var rows = [Float]()
        for _ in 0..<3 { rows += f.data[0..<(100 * f.dimension)] }
        rows += [Float](repeating: 0.5, count: 20 * f.dimension)
        let data = Matrix(rows: 320, columns: f.dimension, storage: rows)
        for metric in UMAPMetric.allCases {
            var options = UMAPOptions()
            options.metric = metric
            options.epochs = 50
            let model = try UMAP(options: options).fit(data)
            #expect(model.embedding.storage.allSatisfy { $0.isFinite })
        }
        let allSame = Matrix(rows: 30, columns: 5, repeating: 1)
        let model = try UMAP().fit(allSame)
        #expect(model.embedding.storage.allSatisfy { $0.isFinite })
    }
}

@Suite struct NNDescentTests {
    /// Clustered points from the cosine fixture, repeated with small seeded jitter to reach `copies × 300` points.
    static func points(copies: Int) throws -> Matrix {
        let f = try UMAPFixture.load("clusters_cosine.json")
        var random = SeededRandom(seed: 3)
        var rows = [Float]()
        for _ in 0..<copies { rows += f.data.map { $0 + Float(random.nextNormal() * 0.03) } }
        return Matrix(rows: copies * f.points, columns: f.dimension, storage: rows)
    }

    @Test(arguments: UMAPMetric.allCases) func recallAgainstExactSearch(metric: UMAPMetric) throws {
        let data = try Self.points(copies: 10)
        let p = PreparedPoints(data, metric: metric)
        let exact = ExactNeighborSearch.search(queries: p, reference: p, k: 15, selfQueries: true)
        let approx = NNDescent.search(p, k: 15, seed: 1)
        var hits = 0
        for i in 0..<data.rows {
            #expect(approx.indices[i * 15] == Int32(i) && approx.distances[i * 15] == 0)
            let truth = Set(exact.indices[(i * 15)..<((i + 1) * 15)])
            for t in 0..<15 where truth.contains(approx.indices[i * 15 + t]) { hits += 1 }
        }
        let recall = Double(hits) / Double(data.rows * 15)
        #expect(recall >= 0.98, "recall \(recall)")
        // Same seed, same lists (the parallel join applies updates deterministically).
        #expect(NNDescent.search(p, k: 15, seed: 1) == approx)
    }
}
