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
        var copy = matrix
        var scratch: [Float] = []
        self.init(packing: &copy, scratch: &scratch)
    }

    /// Packs `matrix` and leaves it empty (0 × 0).
    ///
    /// When the packed layout is as large as the matrix (rows a multiple of ``panelRows``) the values are packed into
    /// `scratch` (grown as needed, so one buffer serves many matrices) and copied back into the matrix's own storage,
    /// which the packed matrix then keeps: no new memory is touched. Loading a Mixture-of-Experts model packs
    /// gigabytes this way; fresh pages for each expert cost more than the packing itself.
    package init(packing matrix: inout Matrix, scratch: inout [Float]) {
        precondition(F32GEMM.isAvailable, "F32PackedMatrix needs AVX-512F")
        let (rows, columns) = (matrix.rows, matrix.columns)
        self.rows = rows
        self.columns = columns
        let count = ck_f32_packed_b_count(rows, columns)
        var storage = matrix.storage
        matrix = Matrix(rows: 0, columns: 0)
        if count == storage.count {
            if scratch.count < count { scratch = [Float](repeating: 0, count: count) }
            storage.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    Self.pack(source, rows: rows, columns: columns, into: target)
                }
            }
            storage.withUnsafeMutableBufferPointer { target in
                scratch.withUnsafeBufferPointer { source in
                    guard let to = target.baseAddress, let from = source.baseAddress else { return }
                    to.update(from: from, count: count)
                }
            }
            packed = storage
        } else {
            packed = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                storage.withUnsafeBufferPointer { source in
                    Self.pack(source, rows: rows, columns: columns, into: buffer)
                }
                initialized = count
            }
        }
    }

    /// Packs `source` (`rows × columns`) into the first `ck_f32_packed_b_count(rows, columns)` elements of `target`.
    private static func pack(
        _ source: UnsafeBufferPointer<Float>, rows: Int, columns: Int, into target: UnsafeMutableBufferPointer<Float>
    ) {
        let count = ck_f32_packed_b_count(rows, columns)
        guard let destination = target.baseAddress else { return }
        guard let b = source.baseAddress else {
            destination.initialize(repeating: 0, count: count)
            return
        }
        let output = UncheckedPointer(destination)
        let panels = (rows + panelRows - 1) / panelRows
        Parallel.forEachChunk(panels, minimumChunk: 8) { range in
            ck_f32_pack_b(b, columns, rows, columns, output.pointer, range.lowerBound, range.upperBound)
        }
    }

    /// Rows per packed panel (`CK_F32_NR`).
    package static var panelRows: Int { Int(CK_F32_NR) }

    /// Bytes held by the packed values.
    package var byteCount: Int { packed.count * MemoryLayout<Float>.stride }
}
