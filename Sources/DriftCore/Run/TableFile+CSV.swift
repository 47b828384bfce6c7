public import Foundation

extension TableFile {
    /// The rows of a CSV file written by ``TableEncoding/csv(_:)`` (a per-variant table such as
    /// `logit_lens_<name>.csv`), read through `Row.schema`.
    ///
    /// The header must name exactly the schema's columns, in order; an empty number cell is NaN.
    /// - Throws: ``DriftError`` naming the file when it is missing (`.missing`) or unreadable, and the line and column
    ///   at fault when a cell does not hold its column's kind or a line has the wrong number of cells.
    public static func readCSV<Row: TableRow>(_: Row.Type, at url: URL) throws -> [Row] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DriftError(.missing, "no such table file", path: url.path)
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw DriftError(.io, "cannot read as UTF-8 text: \(error.localizedDescription)", path: url.path)
        }
        return try decodeCSV(Row.self, from: text, path: url.path)
    }

    /// The rows of CSV `text` (see ``readCSV(_:at:)``).
    ///
    /// - Throws: ``DriftError`` naming `path`, the line and the column at fault.
    public static func decodeCSV<Row: TableRow>(_: Row.Type, from text: String, path: String) throws -> [Row] {
        let schema = Row.schema
        var records = try CSVLines(text, path: path).makeIterator()
        guard let header = try records.next() else {
            throw DriftError(.corruptFile, "the table is empty (no header line)", path: path)
        }
        guard header.fields == schema.map(\.name) else {
            throw DriftError(
                .corruptFile,
                "line 1: the header is \(DriftError.quote(header.fields.joined(separator: ","))), expected "
                    + schema.map(\.name).joined(separator: ","), path: path)
        }
        var rows: [Row] = []
        while let record = try records.next() {
            guard record.fields.count == schema.count else {
                throw DriftError(
                    .corruptFile, "line \(record.line): \(record.fields.count) cells, expected \(schema.count)",
                    path: path)
            }
            var row = Row()
            for (column, cell) in zip(schema, record.fields) {
                let value: TableValue?
                switch column.kind {
                case .text: value = .text(cell)
                case .integer: value = Int(cell).map(TableValue.integer)
                case .number: value = cell.isEmpty ? .number(.nan) : Double(cell).map(TableValue.number)
                }
                guard let value else {
                    throw DriftError(
                        .corruptFile,
                        "line \(record.line), column \"\(column.name)\": expected \(describe(column.kind)), found "
                            + DriftError.quote(cell), path: path)
                }
                column.store(value, into: &row)
            }
            rows.append(row)
        }
        return rows
    }
}

/// The records of RFC 4180 CSV text as ``TableEncoding`` writes it: comma-separated, a cell quoted when it holds a
/// comma, a quote or a line break (`""` for a quote inside), `\n` or `\r\n` line ends.
private struct CSVLines {
    struct Record {
        var line: Int
        var fields: [String]
    }

    let scalars: [Unicode.Scalar]
    let path: String

    init(_ text: String, path: String) {
        scalars = Array(text.unicodeScalars)
        self.path = path
    }

    func makeIterator() -> Iterator { Iterator(scalars: scalars, path: path) }

    struct Iterator {
        let scalars: [Unicode.Scalar]
        let path: String
        var index = 0
        var line = 1

        /// The next record, or nil at the end.
        mutating func next() throws -> Record? {
            guard index < scalars.count else { return nil }
            let start = line
            var fields: [String] = []
            var field = String.UnicodeScalarView()
            var quoted = false
            var wasQuoted = false
            while index < scalars.count {
                let scalar = scalars[index]
                index += 1
                if quoted {
                    if scalar == "\"" {
                        if index < scalars.count && scalars[index] == "\"" {
                            field.append("\"")
                            index += 1
                        } else {
                            quoted = false
                        }
                    } else {
                        if scalar == "\n" { line += 1 }
                        field.append(scalar)
                    }
                    continue
                }
                switch scalar {
                case "\"" where field.isEmpty && !wasQuoted:
                    quoted = true
                    wasQuoted = true
                case ",":
                    fields.append(String(field))
                    field = String.UnicodeScalarView()
                    wasQuoted = false
                case "\r" where index < scalars.count && scalars[index] == "\n":
                    continue
                case "\n":
                    line += 1
                    fields.append(String(field))
                    return Record(line: start, fields: fields)
                default:
                    if wasQuoted {
                        throw DriftError(.corruptFile, "line \(line): text after a closing quote", path: path)
                    }
                    field.append(scalar)
                }
            }
            if quoted { throw DriftError(.corruptFile, "line \(start): a quote is never closed", path: path) }
            fields.append(String(field))
            return Record(line: start, fields: fields)
        }
    }
}
