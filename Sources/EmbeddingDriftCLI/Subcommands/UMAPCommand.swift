import ArgumentParser
import DriftAnalysis
import DriftCore
import Foundation

/// `embedding-drift umap`: a UMAP projection of any matrix stored as `.npy`.
struct UMAPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "umap",
        abstract: "Project the rows of a .npy matrix to 2-D (or more) with UMAP, as umap-learn does.",
        discussion: """
            Reads a 2-D float array (rows = points, e.g. concepts × hidden size), fits UMAP with umap-learn's \
            defaults unless told otherwise, and writes the coordinates (rows × dimensions, float32) to --out. \
            With fewer rows than --n-neighbors + 1 the neighbourhood shrinks to rows − 1, as in umap-learn. \
            Exact neighbours are used up to --exact-limit rows, NN-descent beyond. Without --reproducible the layout \
            is optimised on all cores and varies slightly between runs even with the same seed.
            """
    )

    @Option(name: .customLong("in"), help: "Input .npy file: a 2-D array, rows = points.")
    var input: String

    @Option(name: .customLong("out"), help: "Output .npy file for the coordinates (rows × dimensions, float32).")
    var output: String

    @Option(help: "Neighbourhood size, counting the point itself (umap-learn n_neighbors).")
    var nNeighbors: Int = 15

    @Option(help: "Minimum distance between embedded points (umap-learn min_dist).")
    var minDist: Float = 0.1

    @Option(help: "Scale of the embedded points (umap-learn spread).")
    var spread: Float = 1

    @Option(help: "Input distance: cosine or euclidean.")
    var metric: String = "cosine"

    @Option(help: "Output dimensions.")
    var dimensions: Int = 2

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 42

    @Option(help: "Optimisation epochs (default: 500 up to 10,000 rows, else 200).")
    var epochs: Int?

    @Option(help: "Largest row count for exact neighbours (blocked matrix products); NN-descent beyond.")
    var exactLimit: Int = UMAPOptions().exactNeighborLimit

    @Flag(help: "Optimise on one thread so that the same seed gives identical coordinates.")
    var reproducible = false

    @Flag(help: "Also print trustworthiness and 10-NN preservation of the result (O(rows²); for checks).")
    var quality = false

    @Flag(help: "No progress lines.")
    var quiet = false

    @Flag(help: "Also print the seconds spent in each phase (neighbours and graph, initialisation, optimisation).")
    var timings = false

    func validate() throws {
        guard UMAPMetric(rawValue: metric) != nil else {
            throw ValidationError(
                "--metric must be one of: \(UMAPMetric.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let data = try NumpyArray.matrix(contentsOf: URL(fileURLWithPath: input))
        var options = UMAPOptions()
        options.neighbors = nNeighbors
        options.minDistance = minDist
        options.spread = spread
        options.metric = UMAPMetric(rawValue: metric) ?? .cosine
        options.dimensions = dimensions
        options.seed = seed
        options.epochs = epochs
        options.reproducible = reproducible
        options.exactNeighborLimit = exactLimit
        let reporter = ProgressReporter(quiet: quiet)
        defer { reporter.finish() }
        var epochLine: (@Sendable (Int, Int) -> Void)?
        let start = Date()
        var phaseEnds = [Date]()
        let model: UMAPModel
        do {
            model = try UMAP(options: options).fit(data) { event in
                switch event {
                case .graph, .initialized: phaseEnds.append(Date())
                default: break
                }
                switch event {
                case .neighbors(let points, let exact):
                    reporter.begin("neighbours (\(exact ? "exact" : "NN-descent"), \(points) points)", total: nil)
                case .graph, .initialized:
                    break
                case .epoch(let done, let total):
                    if epochLine == nil { epochLine = reporter.callbackWithTotal("optimising", unit: "epochs") }
                    epochLine?(done, total)
                }
            }
        } catch let error as DriftError {
            var located = error
            located.path = located.path ?? input
            throw located
        }
        let seconds = Date().timeIntervalSince(start)
        reporter.finish()
        try NumpyArray(matrix: model.embedding).write(to: URL(fileURLWithPath: output))
        if model.neighbors < nNeighbors {
            StandardError.write(
                "note: only \(data.rows) points, so \(model.neighbors) neighbours were used instead of \(nNeighbors)\n")
        }
        var line =
            "umap: \(data.rows) × \(data.columns) → \(dimensions)-D, \(model.neighbors) neighbours (\(options.metric.rawValue)), "
            + "\(model.epochs) epochs, fit \(String(format: "%.2f", seconds)) s; wrote \(output)"
        if timings, phaseEnds.count == 2 {
            let graph = phaseEnds[0].timeIntervalSince(start)
            let initial = phaseEnds[1].timeIntervalSince(phaseEnds[0])
            let optimise = seconds - graph - initial
            line += String(
                format: "; neighbours+graph %.3f s, initialisation %.3f s, optimisation %.3f s",
                graph, initial, optimise)
        }
        if quality {
            let t = ProjectionQuality.trustworthiness(
                original: data, embedded: model.embedding, k: 10, metric: options.metric)
            let kept = ProjectionQuality.neighborPreservation(
                original: data, embedded: model.embedding, k: 10, metric: options.metric)
            line += String(format: "; trustworthiness %.4f, 10-NN kept %.4f", t, kept)
        }
        print(line)
    }
}
