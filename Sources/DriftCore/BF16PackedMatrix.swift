import CKernels

/// A weight matrix `rows × columns` (PyTorch's `out × in`) rounded to bf16 and packed once for ``BF16GEMM``.
///
/// Holds half the bytes of the float32 matrix (plus padding to whole panels of `CK_BF16_NR` rows and an even column
/// count). Build it only where ``CPUFeatures/hasAVX512BF16`` is true.
package struct BF16PackedMatrix: Sendable {
    /// Rows of the original matrix (the outputs of a linear layer; `n` of the product).
    package let rows: Int
    /// Columns of the original matrix (the inputs of a linear layer; `k` of the product).
    package let columns: Int
    /// bf16 pairs in the micro-kernel's layout (see `ck_bf16_gemm.h`).
    package let packed: [UInt32]

    /// Packs `matrix`, rounding every element to bf16 (round to nearest even), spreading the work over
    /// ``Parallel``'s workers.
    package init(_ matrix: Matrix) {
        precondition(CPUFeatures.hasAVX512BF16, "BF16PackedMatrix needs AVX-512 BF16")
        rows = matrix.rows
        columns = matrix.columns
        let count = ck_bf16_packed_b_count(rows, columns)
        let panels = (matrix.rows + Int(CK_BF16_NR) - 1) / Int(CK_BF16_NR)
        packed = matrix.storage.withUnsafeBufferPointer { source in
            [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
                guard let base = buffer.baseAddress else {
                    initialized = 0
                    return
                }
                if let b = source.baseAddress {
                    let destination = UncheckedPointer(base)
                    Parallel.forEachChunk(panels, minimumChunk: 4) { range in
                        ck_bf16_pack_b(
                            b, matrix.columns, matrix.rows, matrix.columns, destination.pointer, range.lowerBound,
                            range.upperBound)
                    }
                } else {
                    base.initialize(repeating: 0, count: count)
                }
                initialized = count
            }
        }
    }

    /// Bytes held by the packed elements.
    package var byteCount: Int { packed.count * MemoryLayout<UInt32>.stride }
}

/// A mutable pointer carried into ``Parallel`` closures that write disjoint parts of its memory.
struct UncheckedPointer<Element>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Element>
    init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }
}
