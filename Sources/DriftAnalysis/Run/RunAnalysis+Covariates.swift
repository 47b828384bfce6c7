import DriftCore

extension RunAnalysis {
    /// Writes the covariate tables (or removes those this analysis does not produce) and drops the removed ones
    /// from `written`.
    func writeCovariateTables(in layout: RunLayout, written: inout [String]) throws {
        func put<Row: TableRow>(_ rows: [Row]) throws {
            if rows.isEmpty {
                written.removeAll { $0 == Row.tableName }
                TableFile.remove(Row.self, in: layout)
            } else {
                try TableFile.write(rows, in: layout)
            }
        }
        try covariateTable.write(in: layout)
        if covariateTable.rows.isEmpty { written.removeAll { $0 == CovariateTable.tableName } }
        try put(adjustedTestRows)
        try put(adjustedCategoryRows)
        try put(confoundRows)
        try put(matchedRows)
        try put(balanceRows)
    }
}
