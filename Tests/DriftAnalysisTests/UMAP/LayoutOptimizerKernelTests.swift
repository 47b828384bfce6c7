import CKernels
import DriftCore
import Foundation
import Testing

@testable import DriftAnalysis

/// The AVX2 kernel of the 2-D layout against the portable Swift kernel: the same random stream and the same steps,
/// so after a few epochs of the cosine fixture's fit the coordinates agree up to the rounding of the vectorised power.
@Suite(.enabled(if: CPUFeatures.hasAVX2FMA, "needs AVX2 + FMA"))
struct LayoutOptimizerKernelTests {
    @Test func vectorisedPowerMatchesLibraryPow() {
        var random = SeededRandom(seed: 5)
        let xs = (0..<100_000).map { _ in Float(Foundation.pow(10, random.nextDouble() * 16 - 8)) }
        for y: Float in [0.895, -0.105, 0.5, 1, 1.9] {
            var out = [Float](repeating: 0, count: xs.count)
            ck_umap_pow_avx2(xs, y, &out, xs.count)
            var worst = 0.0
            for (x, got) in zip(xs, out) {
                let reference = Foundation.pow(Double(x), Double(y))
                worst = max(worst, abs(Double(got) - reference) / reference)
            }
            // The float rounding of y · log₂ x (up to ±51 here) dominates: about 5e-8 · |y log₂ x|.
            #expect(worst < 5e-6, "y = \(y): worst relative error \(worst)")
        }
    }

    @Test func vectorisedEpochsMatchSwiftEpochs() throws {
        let f = try UMAPFixture.load("clusters_cosine.json")
        let prepared = PreparedPoints(f.matrix, metric: .cosine)
        let knn = ExactNeighborSearch.search(queries: prepared, reference: prepared, k: 15, selfQueries: true)
        let graph = UMAP.fuzzyGraph(knn, k: 15, localConnectivity: 1)
        let (heads, tails, weights) = UMAP.edges(of: graph)
        var random = SeededRandom(seed: 9)
        let start = (0..<(graph.rows * 2)).map { _ in Float(random.nextDouble() * 10) }
        // The layout after `epochs` epochs (of a 50-epoch schedule) with the Swift or the vectorised kernel.
        func layout(vectorized: Bool, epochs: Int, negativeSampleRate: Int = 5) -> [Float] {
            var optimizer = LayoutOptimizer(
                heads: heads, tails: tails,
                epochsPerSample: LayoutOptimizer.epochsPerSample(weights: weights, epochs: 50),
                curve: CurveParameters(minDistance: 0.1, spread: 1), gamma: 1, initialAlpha: 1,
                negativeSampleRate: negativeSampleRate,
                dimensions: 2, tailCount: graph.rows, moveOther: true)
            optimizer.vectorized = vectorized
            var coords = start
            coords.withUnsafeMutableBufferPointer { c in
                guard let base = c.baseAddress else { return }
                optimizer.run(head: base, tail: base, epochs: epochs, seed: 3, parallel: false, progress: nil)
            }
            return coords
        }
        let results = [false, true].map { layout(vectorized: $0, epochs: 50) }
        // Only the first few epochs: SGD amplifies last-bit differences over many.
        let moved = zip(start, results[0]).map { abs($0 - $1) }.max() ?? 0
        #expect(moved > 0.1)
        let short = [false, true].map { layout(vectorized: $0, epochs: 3) }
        let difference = zip(short[0], short[1]).map { abs($0 - $1) }.max() ?? .infinity
        let step = zip(start, short[0]).map { abs($0 - $1) }.max() ?? 0
        #expect(step > 0.1, "the epochs moved the points (\(step))")
        #expect(difference < 1e-3, "largest coordinate difference after 3 epochs: \(difference)")
        // More negative samples than the kernel's lanes hold: each edge runs on its own, in several runs. With 40
        // samples per edge at learning rate 1 the layout is chaotic enough that rounding grows to whole steps by epoch
        // 3, so two epochs (the second is the first in which edges fall due, every one on the split path) are compared.
        let many = [false, true].map { layout(vectorized: $0, epochs: 2, negativeSampleRate: 40) }
        let manyDifference = zip(many[0], many[1]).map { abs($0 - $1) }.max() ?? .infinity
        let manyStep = zip(start, many[0]).map { abs($0 - $1) }.max() ?? 0
        #expect(manyStep > 0.1, "the epoch moved the points (\(manyStep))")
        // Forty clipped repulsions summed in another order round differently (0.003 here, for a step of 4.3); a
        // different draw or a lost sample would move a point by about a whole step.
        #expect(manyDifference < 1e-2, "40 negative samples: largest difference after 2 epochs \(manyDifference)")
        print("layout kernels, 40 negative samples, 2 epochs: step \(manyStep), difference \(manyDifference)")
        // Both kernels give a finite layout over the whole run.
        #expect(results.allSatisfy { $0.allSatisfy(\.isFinite) })
    }

    @Test func noNegativeSamplesGivesAFiniteLayout() throws {
        let f = try UMAPFixture.load("clusters_cosine.json")
        for reproducible in [true, false] {
            var options = UMAPOptions()
            options.negativeSampleRate = 0
            options.epochs = 50
            options.reproducible = reproducible
            let model = try UMAP(options: options).fit(f.matrix)
            #expect(model.embedding.storage.allSatisfy { $0.isFinite })
        }
    }
}
