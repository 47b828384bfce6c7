/// CSV and JSON encoding of table rows, byte-stable for equal input.
public enum TableEncoding {
    /// CSV text: a header line, then one line per row; `\n` line ends; a final newline.
    public static func csv<Row: TableRow>(_ rows: [Row]) -> String {
        let schema = Row.schema
        var out = schema.map { TableValue.text($0.name).csvField }.joined(separator: ",") + "\n"
        for row in rows { out += schema.map { $0.value(of: row).csvField }.joined(separator: ",") + "\n" }
        return out
    }

    /// JSON text: an array of objects, keys in column order, one object per line.
    public static func json<Row: TableRow>(_ rows: [Row]) -> String {
        let schema = Row.schema
        let keys = schema.map { TableValue.jsonString($0.name) }
        let lines = rows.map { row in
            "{" + zip(keys, schema).map { "\($0):\($1.value(of: row).jsonValue)" }.joined(separator: ",") + "}"
        }
        return "[\n" + lines.joined(separator: ",\n") + (lines.isEmpty ? "]\n" : "\n]\n")
    }
}
