import DriftCore

extension SeededRandom {
    /// `count` indices drawn uniformly with replacement from `0..<bound` (one bootstrap resample).
    mutating func resample(count: Int, from bound: Int) -> [Int] {
        (0..<count).map { _ in nextInt(below: bound) }
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates through ``SeededRandom/shuffle(_:)``).
    mutating func permutation(_ count: Int) -> [Int] {
        var order = Array(0..<count)
        shuffle(&order)
        return order
    }
}
