import DriftCore

extension GGUFModelStore.Transform {
    var isTranspose: Bool {
        if case .transpose = self { return true }
        return false
    }
}

extension GGUFModelStore {
    /// Transposes a stored `[shape[1], shape[0]]` matrix to `shape`.
    static func transpose(_ values: [Float], shape: [Int], name: String, path: String) throws -> [Float] {
        guard shape.count == 2, values.count == shape[0] * shape[1] else {
            throw DriftError(.corruptFile, "tensor '\(name)' is not the matrix its shape \(shape) says", path: path)
        }
        let rows = shape[0]
        let columns = shape[1]
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for r in 0..<rows {
                    for c in 0..<columns { target[r * columns + c] = source[c * rows + r] }
                }
            }
        }
        return out
    }

    /// Puts GPT-NeoX's fused query/key/value rows back in transformers' order: stored row
    /// `part·heads·d + head·d + r` (`part` 0 q, 1 k, 2 v) becomes row `(head·3 + part)·d + r`.
    static func interleaveHeads(_ values: [Float], shape: [Int], heads: Int, name: String, path: String) throws
        -> [Float]
    {
        let rows = shape.first ?? 0
        let columns = shape.count > 1 ? shape[1...].reduce(1, *) : 1
        guard heads > 0, rows % (3 * heads) == 0, values.count == rows * columns else {
            throw DriftError(
                .corruptFile, "tensor '\(name)' has \(rows) rows, not a multiple of 3 × \(heads) heads", path: path)
        }
        let d = rows / heads / 3
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for part in 0..<3 {
                    for head in 0..<heads {
                        for r in 0..<d {
                            let stored = part * heads * d + head * d + r
                            let original = (head * 3 + part) * d + r
                            for c in 0..<columns { target[original * columns + c] = source[stored * columns + c] }
                        }
                    }
                }
            }
        }
        return out
    }
}
