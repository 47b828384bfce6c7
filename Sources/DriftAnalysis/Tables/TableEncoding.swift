/// CSV and JSON encoding of table rows, byte-stable for equal input.
public enum TableEncoding {
    /// CSV text: a header line, then one line per row; `\n` line ends; a final newline.
    public static func csv<Row: TableRow>(_ rows: [Row]) -> String {
        var out = Row.columns.map { TableValue.text($0).csvField }.joined(separator: ",") + "\n"
        for row in rows { out += row.cells.map(\.csvField).joined(separator: ",") + "\n" }
        return out
    }

    /// JSON text: an array of objects, keys in column order, one object per line.
    public static func json<Row: TableRow>(_ rows: [Row]) -> String {
        let keys = Row.columns.map(TableValue.jsonString)
        let lines = rows.map { row in
            "{" + zip(keys, row.cells).map { "\($0):\($1.jsonValue)" }.joined(separator: ",") + "}"
        }
        return "[\n" + lines.joined(separator: ",\n") + (lines.isEmpty ? "]\n" : "\n]\n")
    }
}
