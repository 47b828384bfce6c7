import DriftAnalysis
import DriftCore
public import Foundation

extension ReportData {
    /// Reads what the report needs from the run directory at `url`: `manifest.json` (variant order, headline layer),
    /// `concept_metadata.json`, `tables/*.json` and `umap_<variant>.npy`.
    ///
    /// A missing or unreadable table or UMAP file is not an error: the report leaves its figures out and ``notes``
    /// says why.
    /// - Throws: ``DriftError`` when the directory has no manifest or concept metadata, or `concept_drift` is missing
    ///   (without it there is nothing to report).
    public init(runDirectory url: URL) throws {
        let manifestURL = url.appendingPathComponent("manifest.json")
        guard let manifest = try Self.jsonObject(at: manifestURL) as? [String: Any] else {
            throw DriftError(
                .missing, "not a run directory (no manifest.json); run `compare` or `import` first", path: url.path)
        }
        let metadataURL = url.appendingPathComponent("concept_metadata.json")
        guard let metadata = try Self.jsonObject(at: metadataURL) as? [String: Any],
            let rows = metadata["rows"] as? [[String: Any]]
        else {
            throw DriftError(.missing, "concept_metadata.json is missing or has no \"rows\"", path: metadataURL.path)
        }
        let concepts = rows.map { $0["term"] as? String ?? "" }
        let categories = rows.map { $0["category"] as? String ?? "" }
        var notes: [String] = []
        let tables = url.appendingPathComponent("tables")

        func table(_ name: String) -> [[String: Any]]? {
            let file = tables.appendingPathComponent(name + ".json")
            guard FileManager.default.fileExists(atPath: file.path) else {
                notes.append("tables/\(name).json is missing; the figures built from it are left out.")
                return nil
            }
            guard let value = try? Self.jsonObject(at: file), let array = value as? [[String: Any]] else {
                notes.append("tables/\(name).json is not a JSON array of rows; the figures built from it are left out.")
                return nil
            }
            return array
        }
        guard let conceptTable = table("concept_drift") else {
            throw DriftError(
                .missing, "tables/concept_drift.json is missing; run `embedding-drift analyze` first",
                path: tables.appendingPathComponent("concept_drift.json").path)
        }
        let conceptDrift = conceptTable.compactMap { r -> ConceptDriftRow? in
            guard let a = r.string("variant_a"), let b = r.string("variant_b"), let layer = r.int("layer"),
                let concept = r.string("concept")
            else { return nil }
            return ConceptDriftRow(
                variantA: a, variantB: b, layer: layer, concept: concept, category: r.string("category") ?? "",
                cosineDistance: r.double("cosine_distance"), centeredDistance: r.double("centered_distance"),
                procrustesDistance: r.double("procrustes_distance"), jaccard: r.double("jaccard"),
                secondOrder: r.double("second_order"), percentile: r.double("percentile"))
        }
        let categoryDrift = (table("category_drift") ?? []).compactMap { r -> CategoryDriftRow? in
            guard let a = r.string("variant_a"), let b = r.string("variant_b"), let layer = r.int("layer"),
                let category = r.string("category")
            else { return nil }
            return CategoryDriftRow(
                variantA: a, variantB: b, layer: layer, category: category, n: r.int("n") ?? 0, mean: r.double("mean"),
                ciLow: r.double("ci_low"), ciHigh: r.double("ci_high"), median: r.double("median"),
                std: r.double("std"),
                max: r.double("max"), topQuartileShare: r.double("top_quartile_share"))
        }
        let categoryTests = (table("category_tests") ?? []).compactMap { r -> CategoryTestRow? in
            guard let a = r.string("variant_a"), let b = r.string("variant_b"), let layer = r.int("layer"),
                let x = r.string("category_a"), let y = r.string("category_b")
            else { return nil }
            return CategoryTestRow(
                variantA: a, variantB: b, layer: layer, categoryA: x, categoryB: y, difference: r.double("difference"),
                pValue: r.double("p_value"), pHolm: r.double("p_holm"))
        }
        let global = (table("global") ?? []).compactMap { r -> GlobalRow? in
            guard let a = r.string("variant_a"), let b = r.string("variant_b"), let layer = r.int("layer") else {
                return nil
            }
            return GlobalRow(
                variantA: a, variantB: b, layer: layer, meanDrift: r.double("mean_drift"), cka: r.double("cka"),
                ckaDebiased: r.double("cka_debiased"), procrustes: r.double("procrustes"),
                mutualKNN: r.double("mutual_knn"), anisotropyA: r.double("anisotropy_a"),
                anisotropyB: r.double("anisotropy_b"))
        }
        let neighbors = (table("neighbors") ?? []).compactMap { r -> NeighborRow? in
            guard let v = r.string("variant"), let layer = r.int("layer"), let c = r.string("concept"),
                let rank = r.int("rank"), let n = r.string("neighbor")
            else { return nil }
            return NeighborRow(
                variant: v, layer: layer, concept: c, rank: rank, neighbor: n, similarity: r.double("similarity"))
        }

        // Variant order: the manifest's, else the order of first appearance in the tables.
        var variants = manifest["variant_order"] as? [String] ?? []
        if variants.isEmpty {
            variants = (manifest["variants"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        }
        for row in conceptDrift where !variants.contains(row.variantA) || !variants.contains(row.variantB) {
            if !variants.contains(row.variantA) { variants.append(row.variantA) }
            if !variants.contains(row.variantB) { variants.append(row.variantB) }
        }
        let analysis = manifest["analysis"] as? [String: Any]
        let headline = (analysis?["headline_layer"] as? Int) ?? conceptDrift.map(\.layer).max() ?? 0

        var umap: [String: [SIMD2<Double>]] = [:]
        var missingUMAP: [String] = []
        for variant in variants {
            let file = url.appendingPathComponent("umap_\(variant).npy")
            guard FileManager.default.fileExists(atPath: file.path) else {
                missingUMAP.append(variant)
                continue
            }
            do {
                let array = try NumpyArray(contentsOf: file)
                guard array.shape.count == 2, array.shape[1] >= 2, array.shape[0] == concepts.count,
                    array.elementType.isFloatingPoint
                else {
                    notes.append(
                        "umap_\(variant).npy has shape \(array.shape), expected [\(concepts.count), 2]; UMAP left out.")
                    continue
                }
                let values = array.floatValues()
                let width = array.shape[1]
                umap[variant] = (0..<concepts.count).map { i in
                    SIMD2(Double(values[i * width]), Double(values[i * width + 1]))
                }
            } catch {
                notes.append("umap_\(variant).npy is unreadable (\(error)); UMAP left out.")
            }
        }
        if !missingUMAP.isEmpty {
            notes.append("No UMAP coordinates for \(missingUMAP.joined(separator: ", ")) (umap_<variant>.npy missing).")
            umap = [:]
        }
        var noise: [String: Double] = [:]
        if let rows = try? Self.jsonObject(at: tables.appendingPathComponent("noise_floor.json")) as? [[String: Any]] {
            // The pipeline's table: one row per pair, layer and concept, with the floor of `floor_variant` (the drift
            // between templates inside that variant); the figure shows each variant's mean floor at its last layer.
            let lastLayer = rows.compactMap { $0.int("layer") }.max()
            var sums: [String: (total: Double, count: Int)] = [:]
            var seen = Set<String>()
            for r in rows {
                let floor = r.double("floor")
                guard let variant = r.string("floor_variant"), floor.isFinite, let concept = r.string("concept"),
                    r.int("layer") == lastLayer,
                    seen.insert(variant + "\u{1F}" + concept).inserted
                else { continue }
                sums[variant, default: (0, 0)].total += floor
                sums[variant, default: (0, 0)].count += 1
            }
            for (variant, sum) in sums where sum.count > 0 { noise[variant] = sum.total / Double(sum.count) }
        }
        self.init(
            title: url.standardizedFileURL.lastPathComponent, variants: variants, concepts: concepts,
            categories: categories, headlineLayer: headline, conceptDrift: conceptDrift, categoryDrift: categoryDrift,
            categoryTests: categoryTests, global: global, neighbors: neighbors, umap: umap, noiseFloor: noise,
            notes: notes)
        series = (analysis?["settings"] as? [String: Any])?["series"] as? Bool ?? false
    }

    /// The JSON value in `url`, nil when the file does not exist.
    static func jsonObject(at url: URL) throws -> Any? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        } catch {
            throw DriftError(.corruptFile, "not valid JSON: \(error.localizedDescription)", path: url.path)
        }
    }
}

extension [String: Any] {
    func string(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    /// A number, or NaN for JSON null or a missing key (how the tables write non-finite values).
    func double(_ key: String) -> Double { (self[key] as? NSNumber)?.doubleValue ?? .nan }
}
