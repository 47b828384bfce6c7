package import DriftCore

extension LinearWeights {
    /// This layer with its weight rounded to bf16 and packed for ``DriftCore/BF16GEMM`` (the float32 weight dropped).
    ///
    /// Call only where ``DriftCore/CPUFeatures/hasAVX512BF16`` is true.
    package func packedForBF16() -> LinearWeights {
        guard packedBF16 == nil else { return self }
        return LinearWeights(packed: BF16PackedMatrix(float32Weight), bias: bias)
    }

    /// A layer whose weight is already packed in bf16 (``weight`` empty); `bias`, when given, has `packed.rows` values.
    package init(packed: BF16PackedMatrix, bias: [Float]?) {
        precondition(bias == nil || bias?.count == packed.rows, "bias length must equal the weight's rows")
        self.init(weight: Matrix(rows: 0, columns: 0))
        self.packedBF16 = packed
        self.bias = bias
    }
}
