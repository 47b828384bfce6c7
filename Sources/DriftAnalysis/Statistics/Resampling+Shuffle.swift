import DriftCore

extension Resampling {
    /// Sets `order` to the identity and shuffles it by Fisher–Yates from the last position down, each position
    /// swapped with one drawn by `nextInt(below:)`: the permutations every permutation test here draws.
    static func shuffleIdentity(_ order: UnsafeMutableBufferPointer<Int>, generator: inout SeededRandom) {
        for i in 0..<order.count { order[i] = i }
        var i = order.count - 1
        while i > 0 {
            let j = generator.nextInt(below: i + 1)
            if i != j { order.swapAt(i, j) }
            i -= 1
        }
    }
}
