import DriftCore
import Foundation

extension NextTokenAnalysis {
    /// Per pair of `variants` in `tables/logit_lens_divergence` and per layer: the lens distributions' summary.
    ///
    /// Keyed `a\u{1F}b` as the table orders the pair; each summary as the next-token summary has it at the last layer:
    /// the mean JS with its bootstrap interval, the top-1 agreement, and Spearman's ρ between the concepts' cosine
    /// drift at that layer and their lens JS with its interval. Layers where a concept lacks a row are left out.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file when the table or a variant's vectors cannot be read.
    static func lensSummaries(
        directory: URL, variants: [String], resamples: Int, seed: UInt64
    ) throws -> [String: [Int: NextTokenSummaryRow]] {
        let layout = RunLayout(directory)
        guard TableFile.exists(LensDivergenceRow.self, in: layout) else { return [:] }
        let analysed = Set(variants)
        let table = try TableFile.read(LensDivergenceRow.self, in: layout).filter {
            analysed.contains($0.divergence.variantA) && analysed.contains($0.divergence.variantB)
        }
        guard !table.isEmpty else { return [:] }
        let run = try RunDirectory(directory)
        let index = Dictionary(run.concepts.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var grouped: [String: [Int: [LensDivergenceRow]]] = [:]
        for row in table {
            grouped[row.divergence.variantA + "\u{1F}" + row.divergence.variantB, default: [:]][row.layer, default: []]
                .append(row)
        }
        var states: [String: (layers: [Int], matrices: [Matrix])] = [:]
        func hidden(_ name: String) throws -> (layers: [Int], matrices: [Matrix]) {
            if let cached = states[name] { return cached }
            let variant = try run.variant(name)
            let loaded = (variant.layers, try run.hiddenStates(of: variant))
            states[name] = loaded
            return loaded
        }
        var summaries: [String: [Int: NextTokenSummaryRow]] = [:]
        for (key, layers) in grouped {
            let names = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard names.count == 2 else { continue }
            let (a, b) = (try hidden(names[0]), try hidden(names[1]))
            for (layer, rows) in layers {
                var js = [Double](repeating: .nan, count: run.concepts.count)
                var agreeing = 0
                for row in rows {
                    guard let k = index[row.divergence.term] else { continue }
                    js[k] = row.divergence.js
                    agreeing += row.divergence.top1Agree
                }
                guard !js.contains(where: \.isNaN), let pa = a.layers.firstIndex(of: layer),
                    let pb = b.layers.firstIndex(of: layer), a.matrices[pa].columns == b.matrices[pb].columns
                else { continue }
                summaries[key, default: [:]][layer] = try Self.summary(
                    names[0], names[1], js: js, agreeing: agreeing,
                    drift: try ConceptDrift.cosineDistances(a.matrices[pa], b.matrices[pb]), resamples: resamples,
                    seed: seed)
            }
        }
        return summaries
    }

    /// The summary's lines on the lens: per pair, the layer where the lens distributions part most and where drift
    /// and output divergence agree most.
    func lensSummaryLines() -> [String] {
        lensSummaries.keys.sorted().compactMap { key in
            guard let layers = lensSummaries[key], let widest = layers.max(by: { $0.value.meanJS < $1.value.meanJS })
            else { return nil }
            let names = key.split(separator: "\u{1F}").joined(separator: " → ")
            var line =
                "- \(names), through the logit lens at \(layers.count) layers: the distributions part most at layer "
                + "\(widest.key) (mean JS " + String(format: "%.4g", widest.value.meanJS) + ", top-1 the same for "
                + String(format: "%.1f", widest.value.top1Agreement * 100) + "% of concepts)"
            if let closest = layers.filter({ $0.value.spearmanLow > 0 }).max(by: {
                $0.value.spearman < $1.value.spearman
            }) {
                line +=
                    "; drift and lens divergence go together most at layer \(closest.key) (Spearman ρ "
                    + String(format: "%.2f", closest.value.spearman) + ", 95% CI ["
                    + String(format: "%.2f", closest.value.spearmanLow) + ", "
                    + String(format: "%.2f", closest.value.spearmanHigh) + "])"
            } else {
                line += "; at no layer does a concept's drift say anything sure about its lens divergence"
            }
            return line + "."
        }
    }
}
