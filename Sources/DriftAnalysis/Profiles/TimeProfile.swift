public import DriftCore

/// Drift along three or more ordered variants (checkpoints): from the first, and from each to the next.
public struct TimeProfile: Sendable, Equatable {
    /// `fromFirst[t]`: per-concept cosine distance between variant 0 and variant `t + 1`.
    public var fromFirst: [[Double]]
    /// `stepToStep[t]`: per-concept cosine distance between variant `t` and variant `t + 1`.
    public var stepToStep: [[Double]]

    /// Mean of each `fromFirst` entry.
    public var meanFromFirst: [Double] { fromFirst.map(Descriptive.mean) }
    /// Mean of each `stepToStep` entry.
    public var meanStepToStep: [Double] { stepToStep.map(Descriptive.mean) }

    /// Computes the profile.
    /// - Parameter variants: the embeddings in time order (rows = the same concepts), at least two.
    /// - Throws: ``DriftError`` when fewer than two variants are given or shapes differ.
    public init(variants: [Matrix]) throws {
        guard variants.count >= 2 else {
            throw DriftError(.invalidArgument, "a time profile needs at least two ordered variants")
        }
        fromFirst = try variants.dropFirst().map { try ConceptDrift.cosineDistances(variants[0], $0) }
        stepToStep = try (1..<variants.count).map { try ConceptDrift.cosineDistances(variants[$0 - 1], variants[$0]) }
    }
}
