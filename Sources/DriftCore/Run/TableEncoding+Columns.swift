extension TableEncoding {
    /// CSV text of a table whose columns are known only at run time (a header line, then one line per row), written
    /// as ``csv(_:)`` writes a ``TableRow`` table.
    package static func csv(columns: [String], rows: [[TableValue]]) -> String {
        var out = columns.map { TableValue.text($0).csvField }.joined(separator: ",") + "\n"
        for row in rows { out += row.map(\.csvField).joined(separator: ",") + "\n" }
        return out
    }

    /// JSON text of a table whose columns are known only at run time, written as ``json(_:)`` writes a
    /// ``TableRow`` table (an array of objects, keys in column order, one object per line).
    package static func json(columns: [String], rows: [[TableValue]]) -> String {
        let keys = columns.map { TableValue.jsonString($0) }
        let lines = rows.map { row in
            "{" + zip(keys, row).map { "\($0):\($1.jsonValue)" }.joined(separator: ",") + "}"
        }
        return "[\n" + lines.joined(separator: ",\n") + (lines.isEmpty ? "]\n" : "\n]\n")
    }
}
