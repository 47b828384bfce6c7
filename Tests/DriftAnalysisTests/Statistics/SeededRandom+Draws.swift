import DriftCore

/// The resamples the seeded statistics draw, materialised the plain way, so tests can check that drawing them one at
/// a time gives the same results as the index-array forms.
extension SeededRandom {
    /// `count` indices drawn uniformly with replacement from `0..<bound` (one bootstrap resample).
    mutating func resample(count: Int, from bound: Int) -> [Int] {
        (0..<count).map { _ in nextInt(below: bound) }
    }

    /// A uniformly random permutation of `0..<count`: the identity through DriftCore's Fisher–Yates `shuffle`.
    mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        shuffle(&order)
        return order
    }
}
