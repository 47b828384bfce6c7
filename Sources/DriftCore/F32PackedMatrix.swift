import CKernels

/// A float32 weight matrix `rows × columns` (PyTorch's `out × in`) packed once for ``F32GEMM``.
///
/// Holds the matrix's values, rearranged into the micro-kernel's panels (padded to whole panels of `CK_F32_NR` rows).
/// A matrix whose values are all bf16 numbers — a bf16 checkpoint's weights — is held in bf16, half the bytes: the
/// kernel widens them exactly, so the product is the same bits either way. Build it only where
/// ``F32GEMM/isAvailable`` is true.
package struct F32PackedMatrix: Sendable {
    /// The packed values, in the micro-kernel's layout (see `ck_f32_gemm.h`).
    package enum Values: Sendable {
        /// float32 values.
        case float32([Float])
        /// bf16 values (float32 values whose lower 16 bits are zero), widened by the kernel.
        case bfloat16([UInt16])
    }

    /// Rows of the original matrix (the outputs of a linear layer; `n` of the product).
    package let rows: Int
    /// Columns of the original matrix (the inputs of a linear layer; `k` of the product).
    package let columns: Int
    /// The packed values.
    package let values: Values

    /// Packs `matrix`, spreading the work over ``Parallel``'s workers.
    package init(_ matrix: Matrix) {
        var copy = matrix
        var scratch: [Float] = []
        self.init(packing: &copy, scratch: &scratch)
    }

    /// Packs `matrix` and leaves it empty (0 × 0).
    ///
    /// Values that are all bf16 numbers are packed in bf16 (see ``Values/bfloat16(_:)``) unless `keepingFloat32`.
    /// Otherwise, when the packed layout is as large as the matrix (rows a multiple of ``panelRows``), the values are
    /// packed into `scratch` (grown as needed, so one buffer serves many matrices) and copied back into the matrix's
    /// own storage, which the packed matrix then keeps: no new memory is touched. Loading a Mixture-of-Experts model
    /// packs gigabytes this way; fresh pages for each expert cost more than the packing itself.
    package init(packing matrix: inout Matrix, scratch: inout [Float], keepingFloat32: Bool = false) {
        precondition(F32GEMM.isAvailable, "F32PackedMatrix needs AVX-512F")
        let (rows, columns) = (matrix.rows, matrix.columns)
        self.rows = rows
        self.columns = columns
        let count = ck_f32_packed_b_count(rows, columns)
        var storage = matrix.storage
        matrix = Matrix(rows: 0, columns: 0)
        if !keepingFloat32, Self.valuesAreBFloat16(storage) {
            values = .bfloat16(
                Self.packedBFloat16(rows: rows, columns: columns) { packed, panels in
                    storage.withUnsafeBufferPointer { source in
                        guard let b = source.baseAddress else { return }
                        ck_f32_pack_b_bf16_from_f32(
                            b, columns, rows, columns, packed, panels.lowerBound, panels.upperBound)
                    }
                })
            return
        }
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
            values = .float32(storage)
        } else {
            values = .float32(
                [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                    storage.withUnsafeBufferPointer { source in
                        Self.pack(source, rows: rows, columns: columns, into: buffer)
                    }
                    initialized = count
                })
        }
    }

    /// Packs a bf16 matrix stored in parts stacked by rows (`values`: `rows × columns` each, in order), as a bf16
    /// checkpoint stores its weights; nil unless every part but the last fills whole panels of ``panelRows`` rows.
    package init?(columns: Int, bf16Parts parts: [(values: UnsafePointer<UInt16>, rows: Int)]) {
        precondition(F32GEMM.isAvailable, "F32PackedMatrix needs AVX-512F")
        guard parts.dropLast().allSatisfy({ $0.rows % Self.panelRows == 0 }) else { return nil }
        let rows = parts.reduce(0) { $0 + $1.rows }
        self.rows = rows
        self.columns = columns
        var firstPanels: [Int] = []
        var panel = 0
        for part in parts {
            firstPanels.append(panel)
            panel += (part.rows + Self.panelRows - 1) / Self.panelRows
        }
        values = .bfloat16(
            Self.packedBFloat16(rows: rows, columns: columns) { packed, panels in
                for (part, first) in zip(parts, firstPanels) {
                    let partPanels = (part.rows + Self.panelRows - 1) / Self.panelRows
                    let lower = max(panels.lowerBound, first)
                    let upper = min(panels.upperBound, first + partPanels)
                    guard lower < upper else { continue }
                    ck_f32_pack_b_bf16(
                        part.values, columns, part.rows, columns, packed + first * columns * Self.panelRows,
                        lower - first, upper - first)
                }
            })
    }

    /// Whether every value is a bf16 number (lower 16 bits zero), so that packing in bf16 loses nothing.
    private static func valuesAreBFloat16(_ storage: [Float]) -> Bool {
        storage.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return ck_f32_values_are_bf16(base, buffer.count) != 0
        }
    }

    /// New bf16 packed values for a `rows × columns` matrix, filled by `pack(values, panels)` over ``Parallel``'s
    /// workers.
    private static func packedBFloat16(
        rows: Int, columns: Int, pack: (UnsafeMutablePointer<UInt16>, Range<Int>) -> Void
    ) -> [UInt16] {
        let count = ck_f32_packed_b_count(rows, columns)
        return [UInt16](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress {
                let output = UncheckedPointer(base)
                Parallel.forEachChunk((rows + panelRows - 1) / panelRows, minimumChunk: 8) { range in
                    pack(output.pointer, range)
                }
            }
            initialized = count
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

    /// The original `rows × columns` matrix, unpacked (bf16 values widened): for the rare reader that needs the plain
    /// values, such as repacking for another kernel.
    package var matrix: Matrix {
        let (n, k, width) = (rows, columns, Self.panelRows)
        var result = Matrix(rows: n, columns: k)
        result.storage.withUnsafeMutableBufferPointer { target in
            for row in 0..<n {
                let (panel, c) = row.quotientAndRemainder(dividingBy: width)
                let base = panel * k * width
                switch values {
                case .float32(let packed):
                    for p in 0..<k { target[row * k + p] = packed[base + p * width + c] }
                case .bfloat16(let packed):
                    // The slot of column c among a depth's 64 values (see `ck_f32_gemm.h`).
                    let slot = ((c / 32) * 16 + c % 16) * 2 + (c / 16) % 2
                    for p in 0..<k {
                        target[row * k + p] = Float(bitPattern: UInt32(packed[base + p * width + slot]) << 16)
                    }
                }
            }
        }
        return result
    }

    /// Rows per packed panel (`CK_F32_NR`).
    package static var panelRows: Int { Int(CK_F32_NR) }

    /// Bytes held by the packed values.
    package var byteCount: Int {
        switch values {
        case .float32(let packed): packed.count * MemoryLayout<Float>.stride
        case .bfloat16(let packed): packed.count * MemoryLayout<UInt16>.stride
        }
    }
}
