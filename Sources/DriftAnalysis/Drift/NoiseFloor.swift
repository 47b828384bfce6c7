public import DriftCore

/// The drift between paraphrased templates inside one variant: what "no change" looks like.
public struct NoiseFloor: Sendable, Equatable {
    /// Per concept, the mean cosine distance over all pairs of templates; `rows` values.
    public var perConcept: [Double]
    /// The mean of `perConcept`.
    public var mean: Double

    /// Measures the floor from the same concepts embedded through two or more templates in one variant.
    ///
    /// - Parameter templates: one matrix per template, rows = concepts, all of the same shape.
    /// - Throws: ``DriftError`` when fewer than two templates are given or shapes differ.
    public init(templates: [Matrix]) throws {
        guard templates.count >= 2 else {
            throw DriftError(.invalidArgument, "a noise floor needs at least two templates, got \(templates.count)")
        }
        var sum = [Double](repeating: 0, count: templates[0].rows)
        var pairs = 0
        for i in 0..<templates.count {
            for j in (i + 1)..<templates.count {
                try DriftInput.validatePair(templates[i], templates[j], names: ("template \(i)", "template \(j)"))
                let d = RowGeometry.rowCosineDistances(templates[i], templates[j])
                for r in 0..<d.count { sum[r] += d[r] }
                pairs += 1
            }
        }
        perConcept = sum.map { $0 / Double(pairs) }
        mean = Descriptive.mean(perConcept)
    }

    /// Each concept's drift divided by its own floor (∞ where the floor is exactly 0): above 1 means the variants
    /// differ more than rewording the prompt does.
    /// - Throws: ``DriftError`` when the count differs from the floor's.
    public func relative(_ drift: [Double]) throws -> [Double] {
        guard drift.count == perConcept.count else {
            throw DriftError(
                .invalidArgument, "\(drift.count) drift values for a floor of \(perConcept.count) concepts")
        }
        return zip(drift, perConcept).map { d, f in f > 0 ? d / f : (d > 0 ? .infinity : .nan) }
    }
}
