import ArgumentParser
import DriftAnalysis
import DriftCore
import Foundation

/// `embedding-drift bench knn`: times k-NN and the all-pairs measures on synthetic embeddings, blocked, with peak RSS.
///
/// The data are reproducible from the seed with a counter-based SplitMix64 stream (`Benchmarks/scripts/knn_vs_sklearn.py`
/// regenerates the same matrices for numpy/scikit-learn): `a[i] = u(seed, i)`, `b[i] = a[i] + 0.3 · u(seed + 1, i)`,
/// with `u` uniform in [−1, 1).
struct BenchKNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "knn",
        abstract:
            "Time k-NN, neighbourhood overlap, Procrustes, CKA and anisotropy on synthetic embeddings (blocked BLAS).",
        discussion: """
            Prints one JSON object: the sizes, seconds per measure and the peak resident memory. Compare with
            numpy/scikit-learn on the same data through Benchmarks/scripts/knn_vs_sklearn.py.
            """)

    @Option(help: "Number of concepts (rows).")
    var rows: Int = 10_000

    @Option(help: "Embedding width (columns).")
    var columns: Int = 2048

    @Option(help: "Neighbours per concept.")
    var k: Int = 10

    @Option(help: "Seed of the synthetic data.")
    var seed: UInt64 = 1

    @Option(help: "Threads for BLAS and the parallel loops (default: all cores).")
    var threads: Int?

    @Option(help: "Size of one similarity block, in millions of floats.")
    var blockMillions: Int = 16

    @Option(help: "Write the k-NN indices of variant a here (little-endian Int32, rows × k) for a parity check.")
    var indicesOut: String?

    @Flag(help: "Skip k-NN of variant b and the neighbourhood-overlap measures (for the largest sizes).")
    var skipNeighborsB = false

    @Flag(help: "Skip every k-NN measure (time only the pair measures).")
    var skipNeighbors = false

    mutating func run() throws {
        guard rows > k, columns > 0 else {
            throw ValidationError("--rows must exceed --k and --columns must be positive")
        }
        if let threads {
            BLAS.threadCount = threads
            Parallel.workerCount = threads
        }
        var timings: [(String, Double)] = []
        var cpuTimings: [(String, Double)] = []
        func time<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = Self.cpuSeconds()
            let value = try body()
            timings.append((name, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
            cpuTimings.append((name, Self.cpuSeconds() - cpuStart))
            return value
        }
        let a = time("generate") { Self.uniform(rows: rows, columns: columns, seed: seed) }
        let blockElements = blockMillions << 20
        let knnA = skipNeighbors ? nil : try time("knn_a") { try NeighborSets(a, k: k, blockElements: blockElements) }
        if let indicesOut, let knnA {
            let data = knnA.indices.withUnsafeBufferPointer { buffer in
                Data(
                    buffer.map { Int32(truncatingIfNeeded: $0).littleEndian }.withUnsafeBufferPointer {
                        Data(buffer: $0)
                    })
            }
            try AtomicFile.write(data, to: URL(fileURLWithPath: indicesOut))
        }
        var results: [(String, Double)] = []
        var b = time("generate_b") { Self.uniform(rows: rows, columns: columns, seed: seed &+ 1) }
        for i in 0..<b.storage.count { b.storage[i] = a.storage[i] + 0.3 * b.storage[i] }
        if !skipNeighborsB, let knnA {
            let knnB = try time("knn_b") { try NeighborSets(b, k: k, blockElements: blockElements) }
            let jaccard = try time("jaccard") { try NeighborhoodChange.jaccard(knnA, knnB) }
            results.append(("mean_jaccard", jaccard.reduce(0, +) / Double(rows)))
            results.append(("mutual_knn", try NeighborhoodChange.mutualNearestNeighborAlignment(knnA, knnB)))
            let second = try time("second_order") {
                try NeighborhoodChange.secondOrder(a, b, neighborsA: knnA, neighborsB: knnB)
            }
            results.append(("mean_second_order", second.reduce(0, +) / Double(rows)))
        }
        let drift = try time("cosine_drift") { try ConceptDrift.cosineDistances(a, b) }
        results.append(("mean_drift", drift.reduce(0, +) / Double(rows)))
        results.append(("anisotropy_a", try time("anisotropy") { try ConceptDrift.anisotropy(a) }))
        let aligned = try time("procrustes_aligned") { try Procrustes.alignedDistances(a, b) }
        results.append(("mean_procrustes_aligned", aligned.reduce(0, +) / Double(rows)))
        results.append(("procrustes_distance", try time("procrustes_distance") { try Procrustes.distance(a, b) }))
        let cka = try time("cka_both") { try CKA.linearBoth(a, b) }
        results.append(("cka", cka.biased))
        results.append(("cka_debiased", cka.debiased))
        let peakMiB = Self.peakResidentMiB()
        let fields =
            [
                "\"rows\":\(rows)", "\"columns\":\(columns)", "\"k\":\(k)", "\"threads\":\(BLAS.threadCount)",
                "\"peak_rss_mib\":\(peakMiB)",
                "\"seconds\":{" + timings.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}",
                "\"cpu_seconds\":{" + cpuTimings.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}",
                "\"values\":{" + results.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}",
            ]
        print("{" + fields.joined(separator: ",") + "}")
    }
}
