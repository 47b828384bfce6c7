import DriftCore

extension LinearWeights {
    /// This layer with its weight rounded to bf16 and packed for ``DriftCore/BF16GEMM`` (the float32 weight dropped).
    ///
    /// Call only where ``DriftCore/CPUFeatures/hasAVX512BF16`` is true.
    package func packedForBF16() -> LinearWeights {
        guard packedBF16 == nil else { return self }
        var layer = LinearWeights(weight: Matrix(rows: 0, columns: 0))
        layer.packedBF16 = BF16PackedMatrix(weight)
        layer.bias = bias
        return layer
    }
}
