package import DriftCore

extension ExpertWeights {
    /// Packs every expert's float32 weights for ``DriftCore/F32GEMM`` where this CPU runs it (AVX-512F), each in the
    /// memory its float32 copy held where the sizes allow (see ``DriftCore/F32PackedMatrix/init(packing:scratch:)``).
    ///
    /// Each expert's product sees only the few rows routed to it; a BLAS library would pack the whole weight again on
    /// every such call. Experts already packed (bf16) are left as they are; the router stays with BLAS.
    /// `EMBEDDING_DRIFT_F32_KERNEL=blas` in the environment keeps them on BLAS (see ``LinearWeights/usesF32Kernel``).
    package mutating func packForF32Kernel() {
        guard LinearWeights.usesF32Kernel else { return }
        var scratch: [Float] = []
        for e in gateUp.indices { gateUp[e].packForF32(scratch: &scratch) }
        for e in down.indices { down[e].packForF32(scratch: &scratch) }
    }
}
