package import DriftCore

/// Float32 weights, `rows × columns` row-major, used where they lie: in place in a memory-mapped model file when
/// the file stores them as float32, else in an array the loader converted them into.
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
        /// `rows * columns` floats at byte `offset` of the mapping (float-aligned).
        case mapped(MappedFile, offset: Int)
    }

    /// Rows held in an array.
    package init(_ matrix: Matrix) {
        rows = matrix.rows
        columns = matrix.columns
        storage = .owned(matrix.storage)
    }

    /// Rows read in place at byte `offset` of `file`; nil when they do not lie inside the file or are not aligned
    /// for `Float`.
    package init?(file: MappedFile, offset: Int, rows: Int, columns: Int) {
        let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows >= 0, columns >= 0, !overflow, count <= Int.max / 4,
            file.contains(offset: offset, count: count * 4),
            let base = file.bytes.baseAddress, Int(bitPattern: base + offset) % MemoryLayout<Float>.alignment == 0
        else { return nil }
        self.rows = rows
        self.columns = columns
        storage = .mapped(file, offset: offset)
    }

    /// Whether the rows are read in place from a mapped file.
    package var isMapped: Bool {
        if case .mapped = storage { return true }
        return false
    }

    /// Calls `body` with the `rows * columns` values.
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
        }
    }

    /// The rows as a matrix (a copy when mapped).
    package var matrix: Matrix {
        switch storage {
        case .owned(let values): return Matrix(rows: rows, columns: columns, storage: values)
        case .mapped: return Matrix(rows: rows, columns: columns, storage: withUnsafeBufferPointer { Array($0) })
        }
    }
}
