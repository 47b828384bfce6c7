/// A dense row-major matrix of `Float`: `rows × columns`, element `(r, c)` at `storage[r * columns + c]`.
///
/// Value type with copy-on-write storage (a Swift array). Matrix products go through ``BLAS``.
public struct Matrix: Sendable, Equatable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns.
    public private(set) var columns: Int
    /// The elements, row after row; `rows * columns` of them.
    public var storage: [Float]

    /// A matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Float](repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major elements; `storage.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, storage: [Float]) {
        precondition(
            storage.count == rows * columns, "Matrix storage has \(storage.count) elements, expected \(rows * columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from an array of equally long rows.
    public init(rowArrays: [[Float]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "All rows must have the same length")
        self.init(rows: rowArrays.count, columns: columns, storage: rowArrays.flatMap { $0 })
    }

    /// The element at row `r`, column `c`.
    @inlinable
    public subscript(r: Int, c: Int) -> Float {
        get { storage[r * columns + c] }
        set { storage[r * columns + c] = newValue }
    }

    /// A copy of row `r`.
    public func row(_ r: Int) -> [Float] {
        Array(storage[(r * columns)..<((r + 1) * columns)])
    }

    /// Replaces row `r` with `values` (`values.count == columns`).
    public mutating func setRow(_ r: Int, to values: some Collection<Float>) {
        precondition(values.count == columns, "Row has \(values.count) values, expected \(columns)")
        storage.replaceSubrange((r * columns)..<((r + 1) * columns), with: values)
    }

    /// The transpose, `columns × rows`.
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        storage.withUnsafeBufferPointer { src in
            result.storage.withUnsafeMutableBufferPointer { dst in
                for r in 0..<rows {
                    for c in 0..<columns {
                        dst[c * rows + r] = src[r * columns + c]
                    }
                }
            }
        }
        return result
    }

    /// The rows `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(
            rows: range.count, columns: columns,
            storage: Array(storage[(range.lowerBound * columns)..<(range.upperBound * columns)]))
    }

    /// Reinterprets the elements with a new shape of the same size.
    public func reshaped(rows newRows: Int, columns newColumns: Int) -> Matrix {
        Matrix(rows: newRows, columns: newColumns, storage: storage)
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String { "Matrix(\(rows)×\(columns))" }
}
