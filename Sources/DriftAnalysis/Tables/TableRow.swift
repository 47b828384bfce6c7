/// A row of one of the run directory's tables: its column names (the stable schema) and its cells in that order.
public protocol TableRow: Sendable {
    /// The column names, in order (the CSV header and the JSON keys).
    static var columns: [String] { get }
    /// The cells, one per column.
    var cells: [TableValue] { get }
}
