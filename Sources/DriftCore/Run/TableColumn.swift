/// One column of a ``TableRow`` type: its name, the kind of its cells and the property that holds them.
public struct TableColumn<Row> {
    /// The column's name (CSV header, JSON key).
    public let name: String
    /// The kind of its cells.
    public let kind: TableValue.Kind
    /// Whether the column joined the table after its first format (absent in older tables: NaN).
    public let isAdded: Bool
    private let get: (Row) -> TableValue
    private let set: (inout Row, TableValue) -> Void

    /// A text column holding `property`.
    public static func text(_ name: String, _ property: WritableKeyPath<Row, String>) -> Self {
        Self(
            name: name, kind: .text, isAdded: false, get: { .text($0[keyPath: property]) },
            set: { row, value in if case .text(let text) = value { row[keyPath: property] = text } })
    }

    /// An integer column holding `property`.
    public static func integer(_ name: String, _ property: WritableKeyPath<Row, Int>) -> Self {
        Self(
            name: name, kind: .integer, isAdded: false, get: { .integer($0[keyPath: property]) },
            set: { row, value in if case .integer(let integer) = value { row[keyPath: property] = integer } })
    }

    /// A real-number column holding `property`.
    ///
    /// - Parameter added: the column joined the table after its first format, so a table without it (written by an
    ///   older version) reads as NaN rather than as an error.
    public static func number(
        _ name: String, _ property: WritableKeyPath<Row, Double>, added: Bool = false
    ) -> Self {
        Self(
            name: name, kind: .number, isAdded: added, get: { .number($0[keyPath: property]) },
            set: { row, value in if case .number(let number) = value { row[keyPath: property] = number } })
    }

    /// This column as a column of a larger row that holds this row in `part` (a table that adds columns to another's).
    public func within<Outer>(_ part: WritableKeyPath<Outer, Row>) -> TableColumn<Outer> {
        let (get, set) = (self.get, self.set)
        return TableColumn<Outer>(
            name: name, kind: kind, isAdded: isAdded, get: { get($0[keyPath: part]) },
            set: { outer, value in set(&outer[keyPath: part], value) })
    }

    /// The cell of `row` in this column.
    func value(of row: Row) -> TableValue { get(row) }

    /// Stores `value` (of this column's kind) into `row`.
    func store(_ value: TableValue, into row: inout Row) { set(&row, value) }
}
