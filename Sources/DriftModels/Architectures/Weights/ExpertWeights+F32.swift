package import DriftCore

extension ExpertWeights {
    /// Packs every expert's float32 weights for ``DriftCore/F32GEMM`` where this CPU runs it (AVX-512F), one expert at
    /// a time, each float32 copy dropped as its packed one is made.
    ///
    /// Each expert's product sees only the few rows routed to it; a BLAS library would pack the whole weight again on
    /// every such call. Experts already packed (bf16) are left as they are; the router stays with BLAS.
    package mutating func packForF32Kernel() {
        guard F32GEMM.isAvailable else { return }
        for e in gateUp.indices { gateUp[e] = gateUp[e].packedForF32() }
        for e in down.indices { down[e] = down[e].packedForF32() }
    }
}

extension LinearWeights {
    /// This layer with its float32 weight packed for ``DriftCore/F32GEMM`` (the unpacked copy dropped); unchanged when
    /// it is already packed.
    ///
    /// Call only where ``DriftCore/F32GEMM/isAvailable`` is true.
    package func packedForF32() -> LinearWeights {
        guard packedBF16 == nil, packedF32 == nil else { return self }
        var layer = LinearWeights(weight: Matrix(rows: 0, columns: 0), bias: nil)
        layer.packedF32 = F32PackedMatrix(weight)
        layer.bias = bias
        return layer
    }
}
