import CKernels

/// A float32 weight matrix `rows × columns` (PyTorch's `out × in`) packed once for ``F32GEMM``.
///
/// Holds the matrix's values, rearranged into the micro-kernel's panels (padded to whole panels of `CK_F32_NR` rows).
/// Build it only where ``F32GEMM/isAvailable`` is true.
package struct F32PackedMatrix: Sendable {
    /// Rows of the original matrix (the outputs of a linear layer; `n` of the product).
    package let rows: Int
    /// Columns of the original matrix (the inputs of a linear layer; `k` of the product).
    package let columns: Int
    /// The values in the micro-kernel's layout (see `ck_f32_gemm.h`).
    package let packed: [Float]

    /// Packs `matrix`, spreading the work over ``Parallel``'s workers.
    package init(_ matrix: Matrix) {
        precondition(F32GEMM.isAvailable, "F32PackedMatrix needs AVX-512F")
        rows = matrix.rows
        columns = matrix.columns
        let count = ck_f32_packed_b_count(rows, columns)
        let panels = (rows + Self.panelRows - 1) / Self.panelRows
        packed = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else {
                initialized = 0
                return
            }
            matrix.storage.withUnsafeBufferPointer { source in
                guard let b = source.baseAddress else {
                    base.initialize(repeating: 0, count: count)
                    return
                }
                let target = UncheckedPointer(base)
                Parallel.forEachChunk(panels, minimumChunk: 8) { range in
                    ck_f32_pack_b(
                        b, matrix.columns, matrix.rows, matrix.columns, target.pointer, range.lowerBound,
                        range.upperBound)
                }
            }
            initialized = count
        }
    }

    /// Rows per packed panel (`CK_F32_NR`).
    package static var panelRows: Int { Int(CK_F32_NR) }

    /// Bytes held by the packed values.
    package var byteCount: Int { packed.count * MemoryLayout<Float>.stride }
}
