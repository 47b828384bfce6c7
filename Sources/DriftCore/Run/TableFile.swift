public import Foundation

/// Writes a table of a run directory (`tables/<name>.csv` and `.json`) and reads it back, through the row type's
/// one declaration of its columns.
public enum TableFile {
    /// Writes `rows` as `tables/<name>.csv` and `tables/<name>.json` of the run at `layout`, each atomically.
    ///
    /// - Throws: ``DriftError`` when a file cannot be written.
    public static func write<Row: TableRow>(_ rows: [Row], in layout: RunLayout) throws {
        try AtomicFile.write(TableEncoding.csv(rows), to: layout.table(Row.tableName, fileExtension: "csv"))
        try AtomicFile.write(TableEncoding.json(rows), to: layout.table(Row.tableName, fileExtension: "json"))
    }

    /// Removes both files of table `Row` from the run at `layout` (a table this analysis does not produce).
    public static func remove<Row: TableRow>(_: Row.Type, in layout: RunLayout) {
        for fileExtension in ["csv", "json"] {
            try? FileManager.default.removeItem(at: layout.table(Row.tableName, fileExtension: fileExtension))
        }
    }

    /// Whether the run at `layout` has table `Row` (its JSON file).
    public static func exists<Row: TableRow>(_: Row.Type, in layout: RunLayout) -> Bool {
        FileManager.default.fileExists(atPath: layout.table(Row.tableName, fileExtension: "json").path)
    }

    /// The rows of `tables/<name>.json` in the run at `layout`.
    ///
    /// - Throws: ``DriftError`` naming the file when it is missing (`.missing`) or unreadable, and naming the file,
    ///   the row and the column when a row lacks a column, has one the table does not declare, or holds a value of
    ///   the wrong kind.
    public static func read<Row: TableRow>(_: Row.Type, in layout: RunLayout) throws -> [Row] {
        let url = layout.table(Row.tableName, fileExtension: "json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DriftError(
                .missing,
                "the run has no \(RunLayout.tablePath(Row.tableName, fileExtension: "json")); run `analyze` first",
                path: url.path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DriftError(.io, "cannot read: \(error.localizedDescription)", path: url.path)
        }
        return try decode(Row.self, from: data, path: url.path)
    }

    /// The rows of a table's JSON text (an array of objects keyed by the columns; `null` for a non-finite number).
    ///
    /// Numbers are read exactly (`JSONDecoder`), so a table read and written again is byte-identical.
    /// - Throws: ``DriftError`` naming `path`, and the row (1-based) and column at fault.
    public static func decode<Row: TableRow>(_: Row.Type, from data: Data, path: String) throws -> [Row] {
        do {
            return try JSONDecoder().decode(Rows<Row>.self, from: data).rows
        } catch let fault as RowFault {
            throw DriftError(.corruptFile, "row \(fault.row + 1): \(fault.message)", path: path)
        } catch DecodingError.typeMismatch {
            throw DriftError(.corruptFile, "table \(Row.tableName) is not a JSON array of rows", path: path)
        } catch {
            throw DriftError(
                .corruptFile, "table \(Row.tableName) is not valid JSON (truncated or damaged; run `analyze` again)",
                path: path)
        }
    }

    /// What is wrong with one row.
    private struct RowFault: Error {
        var row: Int
        var message: String
    }

    /// Any column name.
    private struct ColumnKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A table's rows decoded through `Row.schema`.
    private struct Rows<Row: TableRow>: Decodable {
        var rows: [Row] = []

        init(from decoder: any Decoder) throws {
            var array = try decoder.unkeyedContainer()
            let schema = Row.schema
            let names = Set(schema.map(\.name))
            if let count = array.count { rows.reserveCapacity(count) }
            while !array.isAtEnd {
                let index = array.currentIndex
                func fault(_ message: String) -> RowFault { RowFault(row: index, message: message) }
                let object: KeyedDecodingContainer<ColumnKey>
                do {
                    object = try array.nestedContainer(keyedBy: ColumnKey.self)
                } catch {
                    throw fault("not a JSON object")
                }
                if let extra = object.allKeys.map(\.stringValue).filter({ !names.contains($0) }).sorted().first {
                    throw fault(
                        "column \"\(extra)\" is not a column of table \(Row.tableName) "
                            + "(\(schema.map(\.name).joined(separator: ", ")))")
                }
                var row = Row()
                for column in schema {
                    let key = ColumnKey(stringValue: column.name)
                    guard object.contains(key) else {
                        if column.isAdded {
                            column.store(.number(.nan), into: &row)
                            continue
                        }
                        throw fault("column \"\(column.name)\" is missing")
                    }
                    let value: TableValue
                    do {
                        switch column.kind {
                        case .text: value = .text(try object.decode(String.self, forKey: key))
                        case .integer: value = .integer(try object.decode(Int.self, forKey: key))
                        case .number:
                            let isNull = try object.decodeNil(forKey: key)
                            value = .number(isNull ? .nan : try object.decode(Double.self, forKey: key))
                        }
                    } catch {
                        let found =
                            (try? object.decode(RunJSONValue.self, forKey: key)).map { TableFile.describe($0) }
                            ?? "null"
                        throw fault(
                            "column \"\(column.name)\": expected \(TableFile.describe(column.kind)), found \(found)")
                    }
                    column.store(value, into: &row)
                }
                rows.append(row)
            }
        }
    }

    static func describe(_ kind: TableValue.Kind) -> String {
        switch kind {
        case .text: "text"
        case .integer: "an integer"
        case .number: "a number or null"
        }
    }

    private static func describe(_ value: RunJSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer(let number): "the number \(number)"
        case .number(let number): "the number \(number)"
        case .string(let text): "text \"\(text.count > 40 ? String(text.prefix(40)) + "…" : text)\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}
