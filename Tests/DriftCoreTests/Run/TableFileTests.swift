import Foundation
import Testing

@testable import DriftCore

/// A table declared once and written and read through that declaration.
private struct SampleRow: TableRow, Equatable {
    var name = ""
    var count = 0
    var value = 0.0

    static let tableName = "sample"
    static var schema: [TableColumn<Self>] {
        [.text("name", \.name), .integer("count", \.count), .number("value", \.value)]
    }
}

@Suite struct TableFileTests {
    private func run() throws -> RunLayout {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tables-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return RunLayout(url)
    }

    @Test func rowsReadBackAsWritten() throws {
        let layout = try run()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let rows = [
            SampleRow(name: "a, \"b\"", count: 3, value: 0.25), SampleRow(name: "ü", count: -1, value: 1e-300),
        ]
        try TableFile.write(rows, in: layout)
        #expect(try TableFile.read(SampleRow.self, in: layout) == rows)
        #expect(TableFile.exists(SampleRow.self, in: layout))
        let csv = try String(contentsOf: layout.table("sample", fileExtension: "csv"), encoding: .utf8)
        #expect(csv.hasPrefix("name,count,value\n\"a, \"\"b\"\"\",3,0.25\n"))
        TableFile.remove(SampleRow.self, in: layout)
        #expect(!TableFile.exists(SampleRow.self, in: layout))
    }

    /// CSV as Python's `csv.writer` writes it (`csv.writer(f, lineterminator="\\n")` of the same rows) reads back to
    /// the rows, and so does our own CSV.
    @Test func csvReadsPythonsQuotingAndOurOwn() throws {
        let python = "name,count,value\n\"a, \"\"b\"\"\",3,0.25\n\"two\nlines\",0,\n#x,-1,1e-300\n,2,-0.5\r\n"
        let rows = try TableFile.decodeCSV(SampleRow.self, from: python, path: "t.csv")
        #expect(rows.count == 4)
        #expect(rows[0] == SampleRow(name: "a, \"b\"", count: 3, value: 0.25))
        #expect(rows[1].name == "two\nlines" && rows[1].value.isNaN)
        #expect(rows[2] == SampleRow(name: "#x", count: -1, value: 1e-300))
        #expect(rows[3] == SampleRow(name: "", count: 2, value: -0.5))
        let own = [SampleRow(name: "ü,\"", count: 1, value: 2.5), SampleRow(name: "\r", count: 0, value: 0)]
        #expect(try TableFile.decodeCSV(SampleRow.self, from: TableEncoding.csv(own), path: "t.csv") == own)
    }

    /// A malformed CSV table is refused in one line naming the file, the line and the column.
    @Test(arguments: [
        ("name,count\n", "line 1: the header is"),
        ("name,count,value\nx,1\n", "line 2: 2 cells, expected 3"),
        ("name,count,value\nx,1,2\ny,z,2\n", #"line 3, column "count": expected an integer, found "z""#),
        ("name,count,value\n\"x,1,2\n", "line 2: a quote is never closed"),
        ("", "the table is empty"),
    ])
    func malformedCSVIsNamed(text: String, message: String) throws {
        let error = try #require(throws: DriftError.self) {
            try TableFile.decodeCSV(SampleRow.self, from: text, path: "t.csv")
        }
        #expect(error.description.contains(message) && error.description.contains("t.csv"), "\(error)")
    }

    @Test func nullReadsAsNaN() throws {
        let rows = try TableFile.decode(
            SampleRow.self, from: Data(#"[{"name": "x", "count": 1, "value": null}]"#.utf8), path: "t.json")
        #expect(rows.count == 1 && rows[0].value.isNaN)
    }

    /// Every malformed table is refused in one line naming the file, the row and the column.
    @Test(arguments: [
        (#"[{"name": "x", "count": 1}]"#, #"row 1: column "value" is missing"#),
        (#"[{"name": "x", "count": 1, "value": 2, "extra": 0}]"#, #"row 1: column "extra" is not a column"#),
        (
            #"[{"name": "x", "count": 1, "value": 2}, {"name": "y", "count": "2", "value": 2}]"#,
            #"row 2: column "count": expected an integer, found text "2""#
        ),
        (#"[{"name": "x", "count": 1.5, "value": 2}]"#, #"row 1: column "count": expected an integer"#),
        (#"[{"name": 7, "count": 1, "value": 2}]"#, #"row 1: column "name": expected text, found the number 7"#),
        (#"[{"name": "x", "count": 1, "value": true}]"#, #"row 1: column "value": expected a number or null"#),
        (#"[{"name": "x", "count": 1, "val"#, "not valid JSON (truncated"),
        (#"{"name": "x"}"#, "not a JSON array of rows"),
    ])
    func malformedTablesAreNamed(text: String, message: String) throws {
        let error = try #require(throws: DriftError.self) {
            try TableFile.decode(SampleRow.self, from: Data(text.utf8), path: "tables/sample.json")
        }
        #expect(error.description.hasPrefix("tables/sample.json: "), "\(error.description)")
        #expect(error.description.contains(message), "\(error.description)")
        #expect(!error.description.contains("\n"))
    }

    @Test func aMissingTableSaysRunAnalyze() throws {
        let layout = try run()
        defer { try? FileManager.default.removeItem(at: layout.root) }
        let error = try #require(throws: DriftError.self) { try TableFile.read(SampleRow.self, in: layout) }
        #expect(error.kind == .missing)
        #expect(error.description.contains("tables/sample.json; run `analyze` first"))
    }
}
