/// Threads a matrix product whose kernel works on packed panels, as ``F32GEMM`` and ``BF16GEMM`` do.
///
/// The activations are packed into a buffer of `packedCount` elements, split over ``Parallel``'s workers by row
/// panels; then the product runs split by column panels of the packed weight. Each range is independent of the others.
enum PanelProduct {
    /// Packs with `pack(buffer, row panels)`, then multiplies with `multiply(buffer, column panels)`.
    static func run<Element>(
        packedCount: Int, rowPanels: Int, columnPanels: Int,
        pack: (UnsafeMutablePointer<Element>, Range<Int>) -> Void,
        multiply: (UnsafePointer<Element>, Range<Int>) -> Void
    ) {
        let packed = UnsafeMutablePointer<Element>.allocate(capacity: max(1, packedCount))
        defer { packed.deallocate() }
        Parallel.forEachChunk(rowPanels, minimumChunk: 4) { range in pack(packed, range) }
        Parallel.forEachChunk(columnPanels, minimumChunk: 2) { range in multiply(packed, range) }
    }
}
