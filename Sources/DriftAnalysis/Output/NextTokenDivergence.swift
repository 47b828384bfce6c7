public import DriftCore
import Foundation

/// How two next-token distributions of one concept differ: the distributions are the softmax of each variant's
/// logits at the last prompt token, in Double, natural logarithms throughout.
public struct NextTokenDivergence: Sendable, Equatable {
    /// KL(P_a ‖ P_b) = Σ p_a (log p_a − log p_b).
    public var klAB: Double
    /// KL(P_b ‖ P_a).
    public var klBA: Double
    /// The Jensen–Shannon divergence ½ KL(P_a ‖ M) + ½ KL(P_b ‖ M), M = ½ (P_a + P_b); in [0, ln 2]. (scipy's
    /// `jensenshannon` returns its square root, the distance.)
    public var jensenShannon: Double
    /// The most likely token of each variant (ties to the lower id).
    public var top1A: Int
    public var top1B: Int
    /// |T_a ∩ T_b| / |T_a ∪ T_b| over each variant's 10 most likely tokens.
    public var top10Jaccard: Double
    /// The entropies −Σ p log p of the two distributions.
    public var entropyA: Double
    public var entropyB: Double

    /// Whether both variants' most likely next token is the same.
    public var top1Agrees: Bool { top1A == top1B }

    /// The divergences of two rows of logits over the same vocabulary.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) when the rows differ in length, are empty, or hold a
    ///   value that is not finite.
    public init(logitsA a: [Float], logitsB b: [Float]) throws {
        guard a.count == b.count, !a.isEmpty else {
            throw DriftError(
                .invalidArgument, "next-token logits over \(a.count) and \(b.count) tokens; the vocabularies must match"
            )
        }
        guard a.allSatisfy({ $0.isFinite }), b.allSatisfy({ $0.isFinite }) else {
            throw DriftError(.invalidArgument, "next-token logits must be finite")
        }
        let sums = DivergenceSums(a, b)
        klAB = sums.klAB
        klBA = sums.klBA
        jensenShannon = sums.jensenShannon
        entropyA = sums.entropyA
        entropyB = sums.entropyB
        let topA = TopK.indices(a, k: 10)
        let topB = TopK.indices(b, k: 10)
        top1A = topA[0]
        top1B = topB[0]
        let setA = Set(topA)
        let setB = Set(topB)
        top10Jaccard = Double(setA.intersection(setB).count) / Double(setA.union(setB).count)
    }

    /// The softmax of `logits` and its logarithm `x − logsumexp(x)`, in Double, with one exponential per element.
    static func softmax(_ logits: [Float]) -> (probabilities: [Double], logarithms: [Double]) {
        let maximum = Double(logits.max() ?? 0)
        var total = 0.0
        let shifted = [Double](unsafeUninitializedCapacity: logits.count) { terms, initialized in
            total = logits.withUnsafeBufferPointer {
                ShiftedExponentials.sum($0, minus: maximum, terms: terms.baseAddress)
            }
            initialized = logits.count
        }
        let logTotal = Foundation.log(total)
        let logarithms = logits.map { Double($0) - maximum - logTotal }
        return (shifted.map { $0 / total }, logarithms)
    }

    /// The divergence of every concept: rows of `a` and `b` are concepts, columns the vocabulary.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the matrices' shapes differ, naming both.
    public static func perConcept(_ a: Matrix, _ b: Matrix) throws -> [NextTokenDivergence] {
        try perConceptResults(a, b).map { try $0.get() }
    }

    /// Each concept's divergence or why it has none (logits that are not finite), concepts in parallel: each is a
    /// few passes over the vocabulary (262,144 tokens for Gemma).
    ///
    /// - Throws: ``DriftCore/DriftError`` when the matrices' shapes differ, naming both.
    static func perConceptResults(_ a: Matrix, _ b: Matrix) throws -> [Result<NextTokenDivergence, any Error>] {
        guard a.rows == b.rows, a.columns == b.columns else {
            throw DriftError(
                .invalidArgument,
                "next-token logits of \(a.rows) × \(a.columns) and \(b.rows) × \(b.columns): concepts and vocabularies must match"
            )
        }
        let results = Results(count: a.rows)
        Parallel.forEach(a.rows) { row in
            results.set(row, Result { try NextTokenDivergence(logitsA: a.row(row), logitsB: b.row(row)) })
        }
        return results.values
    }
}

/// One slot per concept, filled from several threads.
private final class Results: @unchecked Sendable {
    // Safe to share: each slot is written by exactly one iteration (through the raw buffer, so no exclusivity check
    // spans threads), and read only after all have finished.
    private let slots: UnsafeMutableBufferPointer<Result<NextTokenDivergence, any Error>?>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ index: Int, _ value: Result<NextTokenDivergence, any Error>) { slots[index] = value }

    var values: [Result<NextTokenDivergence, any Error>] {
        slots.map { $0 ?? .failure(DriftError(.io, "a concept's next-token divergence was not computed")) }
    }
}
