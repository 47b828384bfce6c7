import DriftAnalysis
import DriftCore
package import DriftModels
import DriftReport
import Foundation

extension LiveSession {
    /// The record of `term`: from the cache, or computed through every model (concurrent requests for one term share
    /// one computation), waiting at most ``timeout``.
    ///
    /// - Returns: the record and whether it came from the cache.
    /// - Throws: a 503 when the wait times out or too many terms are being embedded (the computation goes on and is
    ///   cached), a 400 for a term the models cannot take (its prompt tokenises to nothing), a 500 otherwise.
    package func record(for term: String) async throws(ExplorerAPI.Failure) -> (LiveRecord, cached: Bool) {
        if let record = cache.record(term) { return (record, true) }
        let flight = flight(for: term) { flight in
            Task.detached {
                let outcome: LiveFlight.Outcome
                do {
                    let record = try await self.compute(term)
                    do {
                        try self.cache.store(record)
                    } catch {
                        // The answer stands; only its persistence failed (it is retried with the next term).
                    }
                    outcome = .success(record)
                } catch let error as DriftError {
                    outcome = .failure(
                        ExplorerAPI.Failure(
                            status: error.kind == .invalidArgument ? 400 : 500,
                            error: "cannot embed \"\(term)\": \(error.description)"))
                } catch {
                    outcome = .failure(ExplorerAPI.Failure(status: 500, error: "cannot embed \"\(term)\": \(error)"))
                }
                self.land(term)
                flight.finish(outcome)
            }
        }
        guard let flight else {
            throw ExplorerAPI.Failure(
                status: 503,
                error: "\(Self.maxInFlight) terms are already being embedded; try again in a moment")
        }
        guard let outcome = await flight.wait(timeout: timeout) else {
            throw ExplorerAPI.Failure(
                status: 503,
                error: "the models did not finish \"\(term)\" within \(timeout) (they are busy); it is still being "
                    + "embedded and will be cached: try again shortly")
        }
        return (try outcome.get(), false)
    }

    /// Runs `term` through every model and places it among the run's concepts.
    func compute(_ term: String) async throws -> LiveRecord {
        let start = ContinuousClock.now
        let sets = try await hiddenStates(of: term)
        let layers = self.layers
        // Per variant and layer: the term's vector.
        func vector(_ variant: String, _ layer: Int) -> [Float]? {
            guard let m = modelOf[variant], let set = sets[m], let position = set.layers.firstIndex(of: layer) else {
                return nil
            }
            return set.matrix(atLayerPosition: position).storage
        }
        var drift: [LiveRecord.Drift] = []
        for pair in pairs {
            for layer in layers {
                guard let a = vector(pair.a, layer), let b = vector(pair.b, layer) else { continue }
                var distance: Double?
                if a.count == b.count {
                    distance = try ConceptDrift.cosineDistances(
                        Matrix(rows: 1, columns: a.count, storage: a), Matrix(rows: 1, columns: b.count, storage: b)
                    )[0]
                }
                drift.append(
                    LiveRecord.Drift(variantA: pair.a, variantB: pair.b, layer: layer, cosineDistance: distance))
            }
        }
        var neighbors: [LiveRecord.Neighbors] = []
        for variant in data.variants {
            for layer in layers {
                guard let x = vector(variant, layer), let run = vectors[variant]?[layer] else { continue }
                let (rows, similarities) = Self.nearest(x, among: run, k: neighborCount)
                neighbors.append(
                    LiveRecord.Neighbors(variant: variant, layer: layer, rows: rows, similarities: similarities))
            }
        }
        var positions: [LiveRecord.Position] = []
        if let umap {
            var stacked: [Float] = []
            for variant in umap.variants { stacked += vector(variant, data.headlineLayer) ?? [] }
            let width = umap.variants.isEmpty ? 0 : stacked.count / umap.variants.count
            if width > 0, stacked.count == width * umap.variants.count {
                let placed = try umap.model.transform(
                    Matrix(rows: umap.variants.count, columns: width, storage: stacked))
                positions = umap.variants.enumerated().map { v, name in
                    LiveRecord.Position(
                        variant: name, point: [finite(Double(placed[v, 0])), finite(Double(placed[v, 1]))])
                }
            }
        }
        let elapsed = (ContinuousClock.now - start).components
        var record = LiveRecord(
            term: term, drift: drift, neighbors: neighbors, umap: positions,
            seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
        record.outputs = try outputs(of: term, sets: sets)
        return record
    }

    /// Every variant's next tokens and logit lens for `term`, and each pair's divergence where both variants' models
    /// gave logits over vocabularies of one size; nil when no model has an LM head.
    func outputs(of term: String, sets: [Int: EmbeddingSet]) throws -> ExplorerAPI.Outputs? {
        func set(_ variant: String) -> EmbeddingSet? { modelOf[variant].flatMap { sets[$0] } }
        guard data.variants.contains(where: { set($0)?.nextTokenLogits != nil }) else { return nil }
        func rows(_ entries: [LogitLensEntry]?, _ set: EmbeddingSet) -> [LogitLensRow] {
            (entries ?? []).map { entry in
                var row = LogitLensRow()
                row.layer = entry.layer
                row.term = term
                row.category = Self.category
                row.rank = entry.rank
                row.tokenID = entry.tokenID
                row.token = set.tokenTexts[entry.tokenID] ?? "<\(entry.tokenID)>"
                row.probability = entry.probability
                return row
            }
        }
        let variants = data.variants.map { v in
            guard let set = set(v) else {
                return ExplorerAPI.VariantOutputs(variant: v, nextTokenRows: [], lensRows: [])
            }
            return ExplorerAPI.VariantOutputs(
                variant: v, nextTokenRows: rows(set.nextTokens, set), lensRows: rows(set.logitLens, set))
        }
        var compared: [ExplorerAPI.PairOutput] = []
        for pair in pairs {
            guard let a = set(pair.a)?.nextTokenLogits, let b = set(pair.b)?.nextTokenLogits, a.columns == b.columns
            else { continue }
            let d = try NextTokenDivergence.perConcept(a, b)[0]
            compared.append(
                ExplorerAPI.PairOutput(
                    variantA: pair.a, variantB: pair.b, js: finite(d.jensenShannon), klAb: finite(d.klAB),
                    klBa: finite(d.klBA), top1Agree: d.top1Agrees, top10Jaccard: finite(d.top10Jaccard)))
        }
        return ExplorerAPI.Outputs(term: term, variants: variants, pairs: compared, live: true)
    }

    /// The term's hidden states from every model (model index → layers × 1 × hidden), the models running
    /// concurrently.
    package func hiddenStates(of term: String) async throws -> [Int: EmbeddingSet] {
        try await withThrowingTaskGroup(of: (Int, EmbeddingSet).self) { group in
            for (m, model) in models.enumerated() {
                group.addTask { (m, try await model.embed(term)) }
            }
            var sets: [Int: EmbeddingSet] = [:]
            for try await (m, set) in group { sets[m] = set }
            return sets
        }
    }

    /// The `k` rows of `run` most cosine-similar to `x` (a zero row has similarity 0), most similar first, ties in
    /// row order.
    static func nearest(_ x: [Float], among run: Matrix, k: Int) -> (rows: [Int], similarities: [Double]) {
        guard run.columns == x.count, run.rows > 0 else { return ([], []) }
        let norm = x.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        var scored: [(Double, Int)] = []
        scored.reserveCapacity(run.rows)
        run.storage.withUnsafeBufferPointer { values in
            for r in 0..<run.rows {
                var dot = 0.0
                var squared = 0.0
                for c in 0..<x.count {
                    let y = Double(values[r * x.count + c])
                    dot += Double(x[c]) * y
                    squared += y * y
                }
                let denominator = norm * squared.squareRoot()
                scored.append((denominator > 0 ? dot / denominator : 0, r))
            }
        }
        scored.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        let top = scored.prefix(k)
        return (top.map(\.1), top.map(\.0))
    }

    /// Percentile of `distance` among the run's concepts for (a, b, layer): the share of concepts that drift less
    /// (ties count half), 0…100; nil when the run has no such rows.
    func percentile(_ distance: Double?, a: String, b: String, layer: Int) -> Double? {
        guard let distance, let sorted = sortedDrift[Self.key(a, b, layer)], !sorted.isEmpty else { return nil }
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < distance { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < sorted.count, sorted[end] == distance { end += 1 }
        return (Double(lo) + Double(end - lo) / 2) / Double(sorted.count) * 100
    }
}
