import DriftAnalysis
public import DriftCore
public import Foundation

extension ReportData {
    /// Reads what the report needs from the run directory at `url`: the manifest (variant order, headline layer),
    /// the concept metadata, the tables and the UMAP coordinates, each through its ``DriftCore/RunLayout`` name and
    /// its type.
    ///
    /// A missing table or UMAP file is not an error: the report leaves its figures out and ``notes`` says why.
    /// - Throws: ``DriftError`` when the directory has no manifest or concept metadata, `concept_drift` is missing
    ///   (without it there is nothing to report), or the manifest, the metadata or a table is malformed (naming the
    ///   file, the row and the column).
    public init(runDirectory url: URL) throws {
        let layout = RunLayout(url)
        guard let manifest = try RunManifest.read(in: url) else {
            throw DriftError(
                .missing, "not a run directory (no \(RunLayout.manifestFileName)); run `compare` or `import` first",
                path: url.path)
        }
        guard let metadata = try ConceptMetadata.read(in: url) else {
            throw DriftError(.missing, "the run directory has no concept metadata", path: layout.metadata.path)
        }
        let concepts = metadata.terms
        let categories = metadata.categories
        var notes: [String] = []

        func table<Row: TableRow>(_: Row.Type) throws -> [Row]? {
            guard TableFile.exists(Row.self, in: layout) else {
                let file = RunLayout.tablePath(Row.tableName, fileExtension: "json")
                notes.append("\(file) is missing; the figures built from it are left out.")
                return nil
            }
            return try TableFile.read(Row.self, in: layout)
        }
        guard let conceptDrift = try table(ConceptDriftRow.self) else {
            throw DriftError(
                .missing,
                "\(RunLayout.tablePath(ConceptDriftRow.tableName, fileExtension: "json")) is missing; run "
                    + "`embedding-drift analyze` first",
                path: layout.table(ConceptDriftRow.tableName, fileExtension: "json").path)
        }
        let categoryDrift = try table(CategoryDriftRow.self) ?? []
        let categoryTests = try table(CategoryTestRow.self) ?? []
        let global = try table(GlobalRow.self) ?? []
        let neighbors = try table(NeighborRow.self) ?? []

        // Variant order: the manifest's, else the order of first appearance in the tables.
        var variants = manifest.order
        for row in conceptDrift where !variants.contains(row.variantA) || !variants.contains(row.variantB) {
            if !variants.contains(row.variantA) { variants.append(row.variantA) }
            if !variants.contains(row.variantB) { variants.append(row.variantB) }
        }
        let headline = manifest.analysis?.headlineLayer ?? conceptDrift.map(\.layer).max() ?? 0

        var umap: [String: [SIMD2<Double>]] = [:]
        var missingUMAP: [String] = []
        for variant in variants {
            let file = layout.umap(variant)
            let name = RunLayout.umapFileName(variant)
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
                        "\(name) has shape \(array.shape), expected [\(concepts.count), 2]; UMAP left out.")
                    continue
                }
                let values = array.floatValues()
                let width = array.shape[1]
                umap[variant] = (0..<concepts.count).map { i in
                    SIMD2(Double(values[i * width]), Double(values[i * width + 1]))
                }
            } catch {
                notes.append("\(name) is unreadable (\(error)); UMAP left out.")
            }
        }
        if !missingUMAP.isEmpty {
            notes.append(
                "No UMAP coordinates for \(missingUMAP.joined(separator: ", ")) "
                    + "(\(RunLayout.umapFileName("<variant>")) missing).")
            umap = [:]
        }
        var noise: [String: Double] = [:]
        if TableFile.exists(NoiseFloorRow.self, in: layout) {
            // The pipeline's table: one row per pair, layer and concept, with the floor of `floor_variant` (the drift
            // between templates inside that variant); the figure shows each variant's mean floor at its last layer.
            let rows = try TableFile.read(NoiseFloorRow.self, in: layout)
            let lastLayer = rows.map(\.layer).max()
            var sums: [String: (total: Double, count: Int)] = [:]
            var seen = Set<String>()
            for r in rows {
                guard r.floor.isFinite, r.layer == lastLayer,
                    seen.insert(r.floorVariant + "\u{1F}" + r.concept).inserted
                else { continue }
                sums[r.floorVariant, default: (0, 0)].total += r.floor
                sums[r.floorVariant, default: (0, 0)].count += 1
            }
            for (variant, sum) in sums where sum.count > 0 { noise[variant] = sum.total / Double(sum.count) }
        }
        self.init(
            title: url.standardizedFileURL.lastPathComponent, variants: variants, concepts: concepts,
            categories: categories, headlineLayer: headline, conceptDrift: conceptDrift, categoryDrift: categoryDrift,
            categoryTests: categoryTests, global: global, neighbors: neighbors, umap: umap, noiseFloor: noise,
            notes: notes)
        series = manifest.analysis?.settings?.series ?? false
        output = try ReportOutput(layout: layout, variants: variants)
        covariates = try CovariateReport(layout: layout)
    }
}
