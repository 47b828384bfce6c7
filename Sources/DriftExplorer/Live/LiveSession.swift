import DriftAnalysis
import DriftCore
import DriftModels
package import DriftReport
package import Foundation

/// Live mode: the run's models loaded once, ready to embed terms the run never extracted, with everything needed to
/// place them among the run's concepts (their stored vectors, the drift tables, the joint UMAP).
///
/// Every variant is re-created from its manifest entry exactly as `compare` made it: the model path with its
/// `@scheme`, the template, pooling, layer selection and special-token setting; loading refuses a model whose files
/// changed since (their hash is in the manifest). Variants of the same model and settings share one ``LiveModel``.
///
/// The UMAP projection rebuilds the fitted model from what the run stores (see
/// ``DriftAnalysis/UMAPModel/init(storedEmbedding:training:options:)``): the training points are the variants' stored
/// hidden states at the headline layer stacked in variant order (as the analysis fitted them), the coordinates are
/// the `umap_<variant>.npy` files, the options the analysis's (umap-learn defaults, its seed and epochs). No refit.
package final class LiveSession: Sendable {
    /// The category shown for a live term.
    package static let category = "live"
    /// The most terms being embedded at once; more are refused with 503.
    package static let maxInFlight = 64

    /// The run as the explorer reads it.
    let data: ReportData
    /// The run's layers (the tables' layers), ascending.
    let layers: [Int]
    /// The run's variant pairs, in time order.
    let pairs: [VariantPair]
    /// The loaded models, one per distinct model and settings.
    package let models: [LiveModel]
    /// Variant → the index in `models` serving it.
    let modelOf: [String: Int]
    /// Variant → layer → the run's vectors of every concept (rows = concepts, columns = hidden size).
    let vectors: [String: [Int: Matrix]]
    /// Neighbours kept per variant and layer (the analysis's k, at least 10).
    let neighborCount: Int
    /// (a, b, layer) → the run's concept cosine distances, ascending (for percentiles).
    let sortedDrift: [String: [Double]]
    /// The joint UMAP rebuilt from the run's files, and the variants in its row order.
    let umap: (model: UMAPModel, variants: [String])?
    /// The cache of embedded terms.
    let cache: LiveCache
    /// How long a request waits for its term.
    let timeout: Duration
    /// Terms being embedded.
    private let flights = FlightTable()

    /// Loads every variant's model of the run at `url`.
    ///
    /// - Parameters:
    ///   - url: the run directory; `data`: the run as the explorer already read it.
    ///   - timeout: how long a request waits for its embedding before a 503 (the embedding goes on and is cached).
    ///   - progress: one line per loading step (the CLI prints them).
    /// - Throws: ``DriftCore/DriftError`` when a variant records no model (an imported run), its model is gone or
    ///   changed, or the run's vectors cannot be read.
    package init(
        runDirectory url: URL, data: ReportData, timeout: Duration, progress: @escaping @Sendable (String) -> Void
    ) throws {
        self.data = data
        self.timeout = timeout
        let layers = data.layers
        self.layers = layers
        pairs = data.pairs
        let manifestPath = RunLayout(url).manifest.path
        guard let manifest = try RunManifest.read(in: url) else {
            throw DriftError(.missing, "not a run directory (no manifest)", path: url.path)
        }
        // Every variant's recipe is checked before any model loads.
        let recipes = try data.variants.map { name in
            let entry = manifest.variant(name)
            return (entry, try Self.recipe(entry, variant: name, manifestPath: manifestPath))
        }
        let run = try RunDirectory(url)

        // The models, one per distinct (model, scheme, settings).
        var models:
            [(variants: [String], reference: String, checkpoint: LoadedCheckpoint, settings: ExtractionSettings)] = []
        var keys: [String: Int] = [:]
        var modelOf: [String: Int] = [:]
        var vectors: [String: [Int: Matrix]] = [:]
        for (v, name) in data.variants.enumerated() {
            let (entry, (reference, settings)) = recipes[v]
            let key =
                "\(reference)\n\(settings.template.text)\n\(settings.pooling.rawValue)\n"
                + "\(settings.layers.description)\n\(settings.addSpecialTokens)"
            if let index = keys[key] {
                modelOf[name] = index
                progress("variant \(name): same model and settings as \(models[index].variants[0]), shared")
            } else {
                let start = ContinuousClock.now
                progress("loading model \(v + 1)/\(data.variants.count) for \(name): \(reference)")
                let step = Step()
                let checkpoint = try LoadedCheckpoint.load(try ModelReference(parsing: reference)) { stage in
                    if case .block(let loaded, let total) = stage, step.due(loaded, of: total) {
                        progress("  \(name): \(loaded)/\(total) blocks")
                    }
                }
                if let recorded = entry?.modelFilesSha256, recorded != checkpoint.files.hash {
                    throw DriftError(
                        .corruptFile,
                        "the model of variant \"\(name)\" changed since the run was extracted, or an earlier "
                            + "version of the tool extracted it (files hash \(checkpoint.files.hash.prefix(12))…, "
                            + "the manifest says \(recorded.prefix(12))…): its live vectors would not be "
                            + "comparable; re-run compare or serve without --live",
                        path: reference)
                }
                let resolved = try settings.layers.resolve(layerCount: checkpoint.model.layerCount)
                if let stored = entry?.layers, stored != resolved {
                    throw DriftError(
                        .corruptFile,
                        "variant \"\(name)\": the model gives layers \(resolved) for \"\(settings.layers)\", the "
                            + "manifest stored \(stored)", path: manifestPath)
                }
                keys[key] = models.count
                modelOf[name] = models.count
                models.append(([name], reference, checkpoint, settings))
                let seconds = (ContinuousClock.now - start).components.seconds
                progress("  \(name): loaded in \(seconds) s")
            }
            // The run's vectors at its layers.
            let variant = try run.variant(name)
            let matrices = try run.hiddenStates(of: variant)
            var byLayer: [Int: Matrix] = [:]
            for (position, layer) in variant.layers.enumerated() where layers.contains(layer) {
                byLayer[layer] = matrices[position]
            }
            vectors[name] = byLayer
        }
        // A shared model lists every variant it serves.
        for name in data.variants {
            if let m = modelOf[name], !models[m].variants.contains(name) { models[m].variants.append(name) }
        }
        self.models = models.map {
            LiveModel(variants: $0.variants, reference: $0.reference, checkpoint: $0.checkpoint, settings: $0.settings)
        }
        self.modelOf = modelOf
        self.vectors = vectors

        let analysisSettings = manifest.analysis?.settings
        neighborCount = max(10, analysisSettings?.k ?? 10)

        var sorted: [String: [Double]] = [:]
        for row in data.conceptDrift where row.cosineDistance.isFinite {
            sorted[Self.key(row.variantA, row.variantB, row.layer), default: []].append(row.cosineDistance)
        }
        sortedDrift = sorted.mapValues { $0.sorted() }

        // The joint UMAP, rebuilt from the stored coordinates and vectors.
        let umapVariants = data.variants.filter { data.umap[$0] != nil }
        if !umapVariants.isEmpty, umapVariants.count == data.variants.count {
            var options = UMAPOptions()
            if let seed = analysisSettings?.seed { options.seed = seed }
            options.epochs = analysisSettings?.umapEpochs
            options.reproducible = true
            var training: [Float] = []
            var coordinates: [Float] = []
            var width = 0
            for name in umapVariants {
                guard let matrix = vectors[name]?[data.headlineLayer], let points = data.umap[name] else { continue }
                width = matrix.columns
                training += matrix.storage
                for p in points { coordinates += [Float(p.x), Float(p.y)] }
            }
            let rows = coordinates.count / 2
            let model = try UMAPModel(
                storedEmbedding: Matrix(rows: rows, columns: 2, storage: coordinates),
                training: Matrix(rows: rows, columns: width, storage: training), options: options)
            umap = (model, umapVariants)
        } else {
            umap = nil
        }

        cache = LiveCache(directory: url, runKey: Self.runKey(manifest: manifest, data: data), progress: progress)
        progress(
            "live mode: \(self.models.count) model(s) for \(data.variants.count) variants; a request waits at most "
                + "\(timeout)")
    }

    /// The model reference and extraction settings a manifest entry records.
    static func recipe(_ entry: RunManifest.Variant?, variant: String, manifestPath: String) throws -> (
        String, ExtractionSettings
    ) {
        guard let entry, let model = entry.model, !model.isEmpty else {
            throw DriftError(
                .unsupported,
                "variant \"\(variant)\" records no model (an imported run?): live mode needs a run made by compare "
                    + "or extract; serve without --live", path: manifestPath)
        }
        let reference = entry.scheme.map { "\(model)@\($0)" } ?? model
        guard let template = entry.template, let poolingName = entry.pooling,
            let pooling = Pooling(rawValue: poolingName), let selection = entry.layerSelection
        else {
            throw DriftError(
                .corruptFile, "variant \"\(variant)\" lacks template, pooling or layer_selection", path: manifestPath)
        }
        let settings = ExtractionSettings(
            template: try PromptTemplate(template), pooling: pooling, layers: try LayerSelection(parsing: selection),
            addSpecialTokens: entry.addSpecialTokens ?? true)
        return (reference, settings)
    }

    /// A key of what the cached answers depend on: the variants' fingerprints, the concepts and the analysis.
    static func runKey(manifest: RunManifest, data: ReportData) -> String {
        var hasher = SHA256()
        for entry in manifest.variants {
            hasher.update(text: "\(entry.name)=\(entry.fingerprint ?? "")\n")
        }
        hasher.update(text: data.concepts.joined(separator: "\n"))
        hasher.update(text: "\n\(manifest.analysis?.createdAt ?? "")")
        return hasher.hexDigest()
    }

    static func key(_ a: String, _ b: String, _ layer: Int) -> String { "\(a)\n\(b)\n\(layer)" }

    /// The running flight of `term`, or a new one started with `start` (nil when too many are in flight).
    func flight(for term: String, start: (LiveFlight) -> Void) -> LiveFlight? {
        flights.flight(for: term, limit: Self.maxInFlight, start: start)
    }

    /// Forgets the flight of `term` (it finished).
    func land(_ term: String) { flights.remove(term) }
}

/// The terms being embedded (`@unchecked Sendable`: `table` is only touched while holding `lock`).
private final class FlightTable: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [String: LiveFlight] = [:]

    func flight(for term: String, limit: Int, start: (LiveFlight) -> Void) -> LiveFlight? {
        let (flight, isNew): (LiveFlight?, Bool) = lock.withLock {
            if let flight = table[term] { return (flight, false) }
            guard table.count < limit else { return (nil, false) }
            let flight = LiveFlight()
            table[term] = flight
            return (flight, true)
        }
        if let flight, isNew { start(flight) }
        return flight
    }

    func remove(_ term: String) { lock.withLock { _ = table.removeValue(forKey: term) } }
}

/// Throttles block progress to about every quarter (`@unchecked Sendable`: `last` only under `lock`).
private final class Step: @unchecked Sendable {
    private let lock = NSLock()
    private var last = -1

    func due(_ loaded: Int, of total: Int) -> Bool {
        lock.withLock {
            let quarter = total > 0 ? loaded * 4 / total : 4
            guard quarter != last else { return false }
            last = quarter
            return true
        }
    }
}
