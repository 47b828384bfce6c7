/// The positions of the largest values of a row, for next-token candidates.
public enum TopK {
    /// The indices of the `k` largest `values`, largest first; ties go to the lower index.
    ///
    /// One pass with insertion into a sorted list of at most `k`, so it suits a small `k` over a large vocabulary.
    public static func indices(_ values: [Float], k: Int) -> [Int] {
        values.withUnsafeBufferPointer { indices($0, k: k) }
    }

    /// The indices of the `k` largest `values`, largest first; ties go to the lower index.
    public static func indices(_ values: UnsafeBufferPointer<Float>, k: Int) -> [Int] {
        var best: [Int] = []
        best.reserveCapacity(k + 1)
        guard k > 0 else { return best }
        for (index, value) in values.enumerated() {
            if best.count == k, let last = best.last, value <= values[last] { continue }
            var position = best.count
            while position > 0, values[best[position - 1]] < value { position -= 1 }
            best.insert(index, at: position)
            if best.count > k { best.removeLast() }
        }
        return best
    }
}
