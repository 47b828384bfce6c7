package import DriftCore

extension LinearWeights {
    /// Packs this layer's float32 weight for ``DriftCore/F32GEMM``, leaving ``weight`` empty.
    ///
    /// Nothing happens when it is already packed. `scratch` is room to pack into, reused across calls.
    ///
    /// Call only where ``DriftCore/F32GEMM/isAvailable`` is true.
    package mutating func packForF32(scratch: inout [Float]) {
        guard packedBF16 == nil, packedF32 == nil, inPlace == nil else { return }
        packedF32 = F32PackedMatrix(packing: &weight, scratch: &scratch)
    }

    /// A layer without bias whose weight is already packed for ``DriftCore/F32GEMM`` (``weight`` empty).
    package init(packedF32: F32PackedMatrix) {
        self.init(weight: Matrix(rows: 0, columns: 0))
        self.packedF32 = packedF32
    }
}
