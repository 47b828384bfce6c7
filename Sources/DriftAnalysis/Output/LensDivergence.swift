import DriftCore
public import Foundation

/// The logit lens compared between variants: for every pair of variants whose lens logits were spilled during one
/// run (`LensLogitsFile`), every concept's divergence at every layer both read, into `tables/logit_lens_divergence`.
///
/// The spilled logits are read `rowsPerBlock` concepts at a time per variant, so a pair never holds more than two
/// blocks of rows × vocabulary; the analysis (``NextTokenAnalysis``) summarises the table per pair and layer.
public enum LensDivergence {
    /// Concepts read from each spill at once.
    static let rowsPerBlock = 64

    /// Compares every pair of `spills` (variant name → its spilled lens logits; variants in `order`) of the run at
    /// `directory` and writes the table, keeping the rows of an earlier run for pairs of which neither variant was
    /// spilled now (both reused, so unchanged).
    ///
    /// Pairs whose tokenizers differ are left out (the next-token analysis says why), and so is a concept at a layer
    /// whose lens logits are not finite.
    /// - Throws: ``DriftCore/DriftError`` naming the file when a spill, the manifest or the table cannot be read or
    ///   written.
    public static func write(spills: [String: URL], order: [String], directory: URL) throws {
        let layout = RunLayout(directory)
        guard let metadata = try ConceptMetadata.read(in: directory), let manifest = try RunManifest.read(in: directory)
        else { return }
        var rows: [LensDivergenceRow] = []
        if TableFile.exists(LensDivergenceRow.self, in: layout) {
            let present = Set(order)
            rows = try TableFile.read(LensDivergenceRow.self, in: layout).filter { row in
                spills[row.divergence.variantA] == nil && spills[row.divergence.variantB] == nil
                    && present.contains(row.divergence.variantA)
                    && present.contains(row.divergence.variantB)
            }
        }
        let named = order.filter { spills[$0] != nil }
        var pairs: [(String, String)] = []
        for i in named.indices { for j in named.indices where j > i { pairs.append((named[i], named[j])) } }
        for (a, b) in pairs {
            guard let urlA = spills[a], let urlB = spills[b], let entryA = manifest.variant(a),
                let entryB = manifest.variant(b)
            else { continue }
            let (fileA, fileB) = (try LensLogitsFile(reading: urlA), try LensLogitsFile(reading: urlB))
            guard fileA.vocabulary == fileB.vocabulary, entryA.tokenCounts == entryB.tokenCounts else { continue }
            guard fileA.concepts == metadata.terms.count, fileB.concepts == metadata.terms.count,
                fileA.layers == entryA.layers.count, fileB.layers == entryB.layers.count
            else {
                throw DriftError(
                    .corruptFile, "the lens logits do not match the run's concepts and layers", path: urlA.path)
            }
            for (positionA, layer) in entryA.layers.enumerated() {
                guard let positionB = entryB.layers.firstIndex(of: layer) else { continue }
                var start = 0
                while start < fileA.concepts {
                    let range = start..<min(fileA.concepts, start + rowsPerBlock)
                    // A concept whose lens logits are not finite at this layer (an overflowing state) gets no row;
                    // the analysis then leaves the layer out rather than the whole run failing.
                    let divergences = try NextTokenDivergence.perConceptResults(
                        try fileA.rows(layer: positionA, concepts: range),
                        try fileB.rows(layer: positionB, concepts: range))
                    for (offset, divergence) in divergences.enumerated() {
                        guard case .success(let d) = divergence else { continue }
                        let k = range.lowerBound + offset
                        rows.append(
                            LensDivergenceRow(
                                variantA: a, variantB: b, layer: layer, term: metadata.terms[k],
                                category: metadata.categories[k], d))
                    }
                    start = range.upperBound
                }
            }
        }
        if rows.isEmpty {
            TableFile.remove(LensDivergenceRow.self, in: layout)
        } else {
            try TableFile.write(rows, in: layout)
        }
    }
}
