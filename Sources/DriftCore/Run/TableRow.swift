/// A row of one of the run directory's tables, declared once: the table's name and its columns, each bound to the
/// property it holds; the same declaration writes the row (``TableEncoding``) and reads it back (``TableFile``).
public protocol TableRow: Sendable {
    /// The table's name: its files are `tables/<name>.csv` and `tables/<name>.json`.
    static var tableName: String { get }
    /// The columns in order (the CSV header and the JSON keys), each with its kind and property.
    static var schema: [TableColumn<Self>] { get }
    /// A row with every text empty and every number zero, which reading fills column by column.
    init()
}

extension TableRow {
    /// The column names, in order (the stable schema).
    public static var columns: [String] { schema.map(\.name) }

    /// The cells, one per column.
    public var cells: [TableValue] { Self.schema.map { $0.value(of: self) } }
}
