package import DriftCore

/// Weights, `rows × columns` row-major, used where they lie: in place in a memory-mapped model file when the file
/// stores them as float32 (or, for a token table read row by row, as bf16), else in an array of float32 the loader
/// converted them into.
///
/// A mapped matrix costs no copy and no fresh memory: its pages are the page cache's, shared with every other
/// process reading the file. The mapping stays alive as long as any `WeightRows` over it.
package struct WeightRows: Sendable {
    /// Number of rows (the outputs of a linear layer, the vocabulary of a token table).
    package let rows: Int
    /// Number of columns.
    package let columns: Int
    private let storage: Storage

    private enum Storage: Sendable {
        case owned([Float])
        /// `rows * columns` float32 values at byte `offset` of the mapping (float-aligned).
        case mapped(MappedFile, offset: Int)
        /// `rows * columns` bf16 values at byte `offset` of the mapping (2-byte aligned).
        case mappedBFloat16(MappedFile, offset: Int)
    }

    /// Rows held in an array.
    package init(_ matrix: Matrix) {
        rows = matrix.rows
        columns = matrix.columns
        storage = .owned(matrix.storage)
    }

    /// Rows read in place at byte `offset` of `file`, float32 or (`bfloat16`) bf16 values; nil when they do not lie
    /// inside the file or are not aligned for their type.
    package init?(file: MappedFile, offset: Int, rows: Int, columns: Int, bfloat16: Bool = false) {
        let size = bfloat16 ? MemoryLayout<UInt16>.size : MemoryLayout<Float>.size
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows >= 0, columns >= 0, !overflow, count <= Int.max / size,
            file.contains(offset: offset, count: count * size),
            let base = file.bytes.baseAddress, Int(bitPattern: base + offset) % size == 0
        else { return nil }
        self.rows = rows
        self.columns = columns
        storage = bfloat16 ? .mappedBFloat16(file, offset: offset) : .mapped(file, offset: offset)
    }

    /// Whether the rows are read in place from a mapped file.
    package var isMapped: Bool {
        if case .owned = storage { return false }
        return true
    }

    /// Whether the values are float32, readable with ``withUnsafeBufferPointer(_:)``; bf16 rows are read with
    /// ``copyRow(_:into:)`` or widened with ``float32``.
    package var isFloat32: Bool {
        if case .mappedBFloat16 = storage { return false }
        return true
    }

    /// Calls `body` with the `rows * columns` float32 values.
    ///
    /// Only for ``isFloat32`` rows.
    package func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        switch storage {
        case .owned(let values):
            return try values.withUnsafeBufferPointer(body)
        case .mapped(let file, let offset):
            let count = rows * columns
            guard count > 0, let base = file.bytes.baseAddress else {
                return try body(UnsafeBufferPointer(start: nil, count: 0))
            }
            return try body(
                UnsafeBufferPointer(start: (base + offset).assumingMemoryBound(to: Float.self), count: count))
        case .mappedBFloat16:
            preconditionFailure("bf16 rows are read row by row (copyRow) or widened first (float32)")
        }
    }

    /// Writes row `r` as float32 (bf16 widened exactly) to `destination` (`columns` values).
    package func copyRow(_ r: Int, into destination: UnsafeMutablePointer<Float>) {
        precondition((0..<rows).contains(r), "row \(r) outside 0..<\(rows)")
        switch storage {
        case .owned, .mapped:
            withUnsafeBufferPointer { values in
                guard let base = values.baseAddress else { return }
                destination.update(from: base + r * columns, count: columns)
            }
        case .mappedBFloat16(let file, let offset):
            guard let base = file.bytes.baseAddress else { return }
            let row = (base + offset).assumingMemoryBound(to: UInt16.self) + r * columns
            for j in 0..<columns { destination[j] = HalfPrecision.float(fromBFloat16: row[j]) }
        }
    }

    /// These rows with float32 values: themselves, or for bf16 rows a widened copy.
    package var float32: WeightRows {
        guard !isFloat32 else { return self }
        var values = [Float](repeating: 0, count: rows * columns)
        values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            Parallel.forEachChunk(rows, minimumChunk: 1024) { range in
                for r in range { copyRow(r, into: base + r * columns) }
            }
        }
        return WeightRows(Matrix(rows: rows, columns: columns, storage: values))
    }

    /// The rows as a float32 matrix (a copy when mapped).
    package var matrix: Matrix {
        switch storage {
        case .owned(let values): return Matrix(rows: rows, columns: columns, storage: values)
        case .mapped: return Matrix(rows: rows, columns: columns, storage: withUnsafeBufferPointer { Array($0) })
        case .mappedBFloat16: return float32.matrix
        }
    }
}
