import CKernels

/// A bf16 weight used where it lies: `rows × columns` bf16 values row-major (PyTorch's `out × in`, as a model file
/// stores them), stacked by rows from parts that need not be adjacent; ``BF16GEMM`` reads it without packing.
package struct BF16Rows: @unchecked Sendable {
    /// One stacked part: `rows` rows of `columns` bf16 values at `values`.
    package struct Part {
        /// The first value (4-byte aligned).
        package let values: UnsafePointer<UInt16>
        /// Rows in this part.
        package let rows: Int

        /// `rows` rows at `values`.
        package init(values: UnsafePointer<UInt16>, rows: Int) {
            self.values = values
            self.rows = rows
        }
    }

    /// Values per row (even).
    package let columns: Int
    /// The parts, stacked in order.
    package let parts: [Part]
    /// Keeps the memory behind the parts alive (a mapped file).
    private let owner: any Sendable

    /// Rows over `parts`, whose memory `owner` keeps alive; nil unless `columns` is even and every part is 4-byte
    /// aligned (the kernel reads each pair of values as one 32-bit word).
    package init?(columns: Int, parts: [Part], owner: any Sendable) {
        guard columns > 0, columns % 2 == 0, !parts.isEmpty,
            parts.allSatisfy({ $0.rows > 0 && Int(bitPattern: $0.values) % MemoryLayout<UInt32>.alignment == 0 })
        else { return nil }
        self.columns = columns
        self.parts = parts
        self.owner = owner
    }

    /// Rows of all parts.
    package var rows: Int { parts.reduce(0) { $0 + $1.rows } }

}
