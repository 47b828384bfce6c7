package import DriftCore
import Foundation

extension ExpertWeights {
    /// Packs every expert's float32 weights for ``DriftCore/F32GEMM`` where this CPU runs it (AVX-512F), each in the
    /// memory its float32 copy held where the sizes allow (see ``DriftCore/F32PackedMatrix/init(packing:scratch:)``).
    ///
    /// Each expert's product sees only the few rows routed to it; a BLAS library would pack the whole weight again on
    /// every such call. Experts already packed (bf16) are left as they are; the router stays with BLAS.
    /// `EMBEDDING_DRIFT_EXPERT_KERNEL=blas` in the environment keeps the experts on BLAS (for comparisons).
    package mutating func packForF32Kernel() {
        guard Self.packsForF32Kernel else { return }
        var scratch: [Float] = []
        for e in gateUp.indices { gateUp[e].packForF32(scratch: &scratch) }
        for e in down.indices { down[e].packForF32(scratch: &scratch) }
    }

    /// Whether float32 experts are packed for ``DriftCore/F32GEMM``: the CPU runs it, and the environment does not
    /// ask for BLAS (`EMBEDDING_DRIFT_EXPERT_KERNEL=blas`); decided once per process.
    package static let packsForF32Kernel: Bool =
        F32GEMM.isAvailable
        && ProcessInfo.processInfo.environment["EMBEDDING_DRIFT_EXPERT_KERNEL"]?.lowercased() != "blas"
}
