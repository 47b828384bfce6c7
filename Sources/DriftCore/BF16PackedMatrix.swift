import CKernels

/// A weight matrix `rows × columns` (PyTorch's `out × in`) for ``BF16GEMM``: rounded to bf16 and packed once, or bf16
/// rows used where a model file stores them (``inPlace``).
///
/// Packed, it holds half the bytes of the float32 matrix (plus padding to whole panels of `CK_BF16_NR` rows and an
/// even column count). Both compute the same products bit for bit. Build it only where ``CPUFeatures/hasAVX512BF16``
/// is true.
package struct BF16PackedMatrix: Sendable {
    /// Rows of the original matrix (the outputs of a linear layer; `n` of the product).
    package let rows: Int
    /// Columns of the original matrix (the inputs of a linear layer; `k` of the product).
    package let columns: Int
    /// bf16 pairs in the micro-kernel's layout (see `ck_bf16_gemm.h`); empty for a matrix read ``inPlace``.
    package let packed: [UInt32]
    /// The bf16 rows where they lie, read by the product as they are (see `ck_bf16_rows.h`); nil when ``packed``.
    package let inPlace: BF16Rows?

    /// The matrix `rows`, read where it lies.
    package init(inPlace rows: BF16Rows) {
        precondition(CPUFeatures.hasAVX512BF16, "BF16PackedMatrix needs AVX-512 BF16")
        self.rows = rows.rows
        columns = rows.columns
        packed = []
        inPlace = rows
    }

    /// Packs `matrix`, rounding every element to bf16 (round to nearest even), spreading the work over
    /// ``Parallel``'s workers.
    package init(_ matrix: Matrix) {
        self.init(columns: matrix.columns, partRows: [matrix.rows]) { _ in matrix }
    }

    /// Packs a matrix stacked from parts, one part at a time.
    ///
    /// The matrix is `[part 0; part 1; …]` by rows, each `partRows[i] × columns`. `part(i)` is called in order, and
    /// each part is packed and dropped before the next is asked for, so only one part exists in float32. The result
    /// equals packing the stacked matrix.
    ///
    /// Every part but the last must fill whole panels (``canPackPartwise(partRows:)``).
    ///
    /// - Throws: what `part` throws.
    package init(columns: Int, partRows: [Int], part: (Int) throws -> Matrix) rethrows {
        try self.init(columns: columns, partRows: partRows) { index, target, count in
            let matrix = try part(index)
            precondition(
                matrix.rows == partRows[index] && matrix.columns == columns, "part \(index) has the wrong shape")
            Self.pack(matrix, into: target, count: count)
        }
    }

    /// Packs a matrix stacked from parts given in bf16 (`[part 0; part 1; …]` by rows, each `rows × columns`),
    /// their values as they are, spreading the work over ``Parallel``'s workers.
    ///
    /// Equal to packing the same values widened to float32, but for a denormal or NaN keeping its own bits, which
    /// the product (denormal inputs count as zero) does not tell apart. Every part but the last must fill whole
    /// panels (``canPackPartwise(partRows:)``).
    package init(columns: Int, bf16Parts parts: [(values: UnsafePointer<UInt16>, rows: Int)]) {
        self.init(columns: columns, partRows: parts.map(\.rows)) { index, target, _ in
            let (values, rows) = parts[index]
            let output = UncheckedPointer(target)
            let source = UncheckedPointer(UnsafeMutablePointer(mutating: values))
            Parallel.forEachChunk((rows + Self.panelRows - 1) / Self.panelRows, minimumChunk: 4) { range in
                ck_bf16_pack_b_bf16(
                    source.pointer, columns, rows, columns, output.pointer, range.lowerBound, range.upperBound)
            }
        }
    }

    /// The packed matrix stacked from parts of `partRows` rows: `pack(index, target, count)` fills part `index`'s
    /// `count` packed elements at `target`, in order (each part's panels are the stacked matrix's panels from its
    /// first row on, a whole-panel offset); the padding after the last part is zeroed.
    private init(
        columns: Int, partRows: [Int], pack: (Int, UnsafeMutablePointer<UInt32>, Int) throws -> Void
    ) rethrows {
        precondition(CPUFeatures.hasAVX512BF16, "BF16PackedMatrix needs AVX-512 BF16")
        precondition(Self.canPackPartwise(partRows: partRows), "every part but the last must fill whole panels")
        rows = partRows.reduce(0, +)
        self.columns = columns
        inPlace = nil
        let count = ck_bf16_packed_b_count(rows, columns)
        packed = try [UInt32](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else {
                initialized = 0
                return
            }
            var offset = 0
            for (index, partRowCount) in partRows.enumerated() {
                let partCount = ck_bf16_packed_b_count(partRowCount, columns)
                try pack(index, base + offset, partCount)
                offset += partCount
            }
            if offset < count { (base + offset).initialize(repeating: 0, count: count - offset) }
            initialized = count
        }
    }

    /// Rows per packed panel (`CK_BF16_NR`).
    package static var panelRows: Int { Int(CK_BF16_NR) }

    /// Whether parts of `partRows` rows can be packed one at a time: every part but the last fills whole panels.
    package static func canPackPartwise(partRows: [Int]) -> Bool {
        partRows.dropLast().allSatisfy { $0 % panelRows == 0 }
    }

    /// Packs `matrix` into `count` (`ck_bf16_packed_b_count(matrix.rows, matrix.columns)`) elements at `destination`.
    private static func pack(_ matrix: Matrix, into destination: UnsafeMutablePointer<UInt32>, count: Int) {
        let panels = (matrix.rows + panelRows - 1) / panelRows
        matrix.storage.withUnsafeBufferPointer { source in
            guard let b = source.baseAddress else {
                destination.initialize(repeating: 0, count: count)
                return
            }
            let target = UncheckedPointer(destination)
            Parallel.forEachChunk(panels, minimumChunk: 4) { range in
                ck_bf16_pack_b(
                    b, matrix.columns, matrix.rows, matrix.columns, target.pointer, range.lowerBound, range.upperBound)
            }
        }
    }

    /// Bytes the matrix holds in memory: its packed elements, or as many for rows read in place (their mapped pages
    /// are resident too, and ``byteCount(rows:columns:)`` is what the memory plan counts for either).
    package var byteCount: Int { Self.byteCount(rows: rows, columns: columns) }

    /// Bytes a `rows × columns` matrix takes once packed (``byteCount`` of the packed matrix, padding included),
    /// without packing it; usable on any CPU (memory planning).
    package static func byteCount(rows: Int, columns: Int) -> Int {
        ck_bf16_packed_b_count(rows, columns) * MemoryLayout<UInt32>.stride
    }
}
