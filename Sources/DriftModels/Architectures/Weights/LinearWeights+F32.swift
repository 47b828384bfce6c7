package import DriftCore
import Foundation

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

    /// A layer whose weight is already packed for ``DriftCore/F32GEMM`` (``weight`` empty); `bias`, when given, has
    /// `packedF32.rows` values.
    package init(packedF32: F32PackedMatrix, bias: [Float]? = nil) {
        precondition(bias == nil || bias?.count == packedF32.rows, "bias length must equal the weight's rows")
        self.init(weight: Matrix(rows: 0, columns: 0))
        self.packedF32 = packedF32
        self.bias = bias
    }

    /// Whether float32 linear weights go to ``DriftCore/F32GEMM`` where the runtime packs them (every expert; from a
    /// bf16 checkpoint every weight it reads as it is stored): the CPU runs it, and the environment does not ask for
    /// BLAS (`EMBEDDING_DRIFT_F32_KERNEL=blas`, or the older `EMBEDDING_DRIFT_EXPERT_KERNEL=blas`); decided once per
    /// process.
    package static let usesF32Kernel: Bool =
        F32GEMM.isAvailable
        && !["EMBEDDING_DRIFT_F32_KERNEL", "EMBEDDING_DRIFT_EXPERT_KERNEL"].contains {
            ProcessInfo.processInfo.environment[$0]?.lowercased() == "blas"
        }
}
