import DriftCore
public import Foundation

extension Vocabulary {
    /// Parses a JSON vocabulary.
    ///
    /// Accepted shapes: `{"name": …, "concepts": [{"term": …, "category": …}, …]}` (the bundled file's shape;
    /// `category` may be omitted), a bare array of such objects, or the reference study's `concept_metadata.json`
    /// (`{"concepts": ["term", …], "categories": {"term": "category", …}}`). A field other than `term` and
    /// `category` that holds a number in some concept is a covariate (`{"term": …, "frequency": 0.3}`): every
    /// concept must then hold a finite number there.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - defaultName: the name used when the file gives none.
    ///   - path: the file, for error messages.
    /// - Throws: ``DriftCore/DriftError`` (`.corruptFile`) saying where the JSON is malformed or which concept is wrong.
    public static func parseJSON(_ data: Data, defaultName: String, path: String?) throws -> Vocabulary {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw DriftError(
                .corruptFile, "the vocabulary is not valid JSON (\(jsonErrorSummary(error, data: data)))", path: path)
        }
        var name = defaultName
        let entries: [Any]
        var categoryByTerm: [String: String] = [:]
        if let array = root as? [Any] {
            entries = array
        } else if let object = root as? [String: Any] {
            if let given = object["name"] as? String, !given.isEmpty { name = given }
            guard let list = object["concepts"] as? [Any] else {
                throw DriftError(
                    .corruptFile,
                    "the vocabulary JSON has no \"concepts\" array (expected {\"concepts\": [{\"term\": …, \"category\": …}, …]})",
                    path: path)
            }
            entries = list
            if let categories = object["categories"] {
                guard let map = categories as? [String: String] else {
                    throw DriftError(.corruptFile, "\"categories\" must map each term to a category name", path: path)
                }
                categoryByTerm = map
            }
        } else {
            throw DriftError(
                .corruptFile, "the vocabulary JSON must be an object with a \"concepts\" array", path: path)
        }
        var concepts: [Concept] = []
        concepts.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            if let term = entry as? String {
                concepts.append(Concept(term: term, category: categoryByTerm[term] ?? Concept.defaultCategory))
            } else if let object = entry as? [String: Any] {
                guard let term = object["term"] as? String else {
                    throw DriftError(.corruptFile, "concept \(index + 1) has no string \"term\"", path: path)
                }
                var category = Concept.defaultCategory
                if let value = object["category"], !(value is NSNull) {
                    guard let text = value as? String else {
                        throw DriftError(
                            .corruptFile,
                            "concept \(index + 1) (\(DriftError.quote(term))) has a non-string \"category\"", path: path
                        )
                    }
                    if !text.isEmpty { category = text }
                }
                concepts.append(Concept(term: term, category: category))
            } else {
                throw DriftError(
                    .corruptFile,
                    "concept \(index + 1) is neither a string nor an object with \"term\" and \"category\"",
                    path: path)
            }
        }
        var vocabulary = try Vocabulary(name: name, concepts: concepts, path: path)
        try vocabulary.attachJSONCovariates(entries, path: path)
        return vocabulary
    }

    /// Finds the numeric fields of the JSON concept objects and gives every concept its values.
    private mutating func attachJSONCovariates(_ entries: [Any], path: String?) throws {
        var names: [String] = []
        for case let object as [String: Any] in entries {
            for (key, value) in object.sorted(by: { $0.key < $1.key })
            where key != "term" && key != "category" && Self.jsonNumber(value) != nil && !names.contains(key) {
                names.append(key)
            }
        }
        guard !names.isEmpty else { return }
        names.sort()
        var updated = concepts
        for (index, entry) in entries.enumerated() {
            let object = entry as? [String: Any] ?? [:]
            var values: [String: Double] = [:]
            for name in names {
                let place =
                    "concept \(index + 1) (\(DriftError.quote(updated[index].term))), field \(DriftError.quote(name))"
                guard let raw = object[name], !(raw is NSNull) else {
                    throw DriftError(
                        .corruptFile, "\(place): missing; the covariate needs a number in every concept", path: path)
                }
                guard let number = Self.jsonNumber(raw), number.isFinite else {
                    throw DriftError(
                        .corruptFile, "\(place): \(DriftError.quote(String(describing: raw))) is not a finite number",
                        path: path)
                }
                values[name] = number
            }
            updated[index].covariates = values
        }
        concepts = updated
        covariateNames = names
    }

    private static func jsonNumber(_ value: Any) -> Double? {
        // JSON true/false are not numbers (Foundation may hand them over as NSNumber of type `c`).
        guard type(of: value) != Bool.self, let number = value as? NSNumber,
            String(cString: number.objCType) != "c"
        else { return nil }
        return number.doubleValue
    }

    /// Parses `term,category` lines (CSV).
    ///
    /// Rules: fields separated by commas; a field may be double-quoted (`"Washington, D.C."`, `""` for a quote inside);
    /// whitespace around unquoted fields is trimmed; blank lines and lines starting with `#` are skipped; a first line
    /// `term,category` (any case) is a header; a missing or empty category is `default`; more than two fields is an
    /// error, unless the header names the extra columns (`term,category,frequency,…`): each is then a numeric
    /// covariate, and a missing or non-numeric value is an error naming the line and the column.
    /// - Throws: ``DriftCore/DriftError`` (`.corruptFile`) with the line number of the first malformed line.
    public static func parseDelimited(_ text: String, name: String, path: String?) throws -> Vocabulary {
        var concepts: [Concept] = []
        var sawRecord = false
        var covariateNames: [String] = []
        for record in try CSVRecords.parse(text, path: path) {
            let fields = record.fields
            if !sawRecord, fields.count > 2, fields[0].lowercased() == "term", fields[1].lowercased() == "category" {
                sawRecord = true
                covariateNames = Array(fields.dropFirst(2))
                for (c, column) in covariateNames.enumerated()
                where column.isEmpty || ["term", "category"].contains(column.lowercased())
                    || covariateNames[..<c].contains(column)
                {
                    throw DriftError(
                        .corruptFile,
                        "line \(record.line), column \(c + 3): covariate name \(DriftError.quote(column)) is empty, "
                            + "repeated or reserved", path: path)
                }
                continue
            }
            if !covariateNames.isEmpty {
                guard !fields[0].isEmpty else {
                    throw DriftError(.corruptFile, "line \(record.line): the term is empty", path: path)
                }
                if fields.count > covariateNames.count + 2 {
                    throw DriftError(
                        .corruptFile,
                        "line \(record.line): \(fields.count) fields, but the header names \(covariateNames.count + 2)",
                        path: path)
                }
                var values: [String: Double] = [:]
                for (c, column) in covariateNames.enumerated() {
                    let at = "line \(record.line), column \(c + 3) (\(column))"
                    guard c + 2 < fields.count, !fields[c + 2].isEmpty else {
                        throw DriftError(.corruptFile, "\(at): missing value", path: path)
                    }
                    guard let value = Double(fields[c + 2]), value.isFinite else {
                        throw DriftError(
                            .corruptFile, "\(at): \(DriftError.quote(fields[c + 2])) is not a finite number", path: path
                        )
                    }
                    values[column] = value
                }
                let category = fields.count >= 2 && !fields[1].isEmpty ? fields[1] : Concept.defaultCategory
                concepts.append(Concept(term: fields[0], category: category, covariates: values))
                continue
            }
            if fields.count > 2 {
                throw DriftError(
                    .corruptFile,
                    "line \(record.line): \(fields.count) fields, expected `term` or `term,category` (quote a term that contains a comma)",
                    path: path)
            }
            let term = fields[0]
            let category = fields.count == 2 && !fields[1].isEmpty ? fields[1] : Concept.defaultCategory
            if !sawRecord {
                sawRecord = true
                if term.lowercased() == "term" && (fields.count == 1 || fields[1].lowercased() == "category") {
                    continue
                }
            }
            if term.isEmpty {
                throw DriftError(.corruptFile, "line \(record.line): the term is empty", path: path)
            }
            concepts.append(Concept(term: term, category: category))
        }
        var vocabulary = try Vocabulary(name: name, concepts: concepts, path: path)
        vocabulary.covariateNames = covariateNames
        return vocabulary
    }

    private static func jsonErrorSummary(_ error: any Error, data: Data) -> String {
        let nsError = error as NSError
        if let index = nsError.userInfo["NSJSONSerializationErrorIndex"] as? Int, index >= 0, index <= data.count {
            let line = data.prefix(index).reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            return "near line \(line)"
        }
        if let debug = nsError.userInfo[NSDebugDescriptionErrorKey] as? String { return debug }
        return nsError.localizedDescription
    }
}

/// A small CSV reader: records with their starting line numbers.
enum CSVRecords {
    struct Record {
        var line: Int
        var fields: [String]
    }

    /// Splits `text` into records; comment (`#`) and blank lines are dropped.
    ///
    /// - Throws: ``DriftCore/DriftError`` for an unterminated quote or text after a closing quote.
    static func parse(_ text: String, path: String?) throws -> [Record] {
        var records: [Record] = []
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var index = 0
        var line = 1
        let count = scalars.count
        while index < count {
            let recordLine = line
            // Skip a blank or comment line.
            var probe = index
            while probe < count, scalars[probe] == " " || scalars[probe] == "\t" { probe += 1 }
            if probe == count { break }
            if scalars[probe] == "\n" || scalars[probe] == "\r" || scalars[probe] == "#" {
                while index < count, scalars[index] != "\n" { index += 1 }
                index += 1
                line += 1
                continue
            }
            var fields: [String] = []
            var endOfRecord = false
            while !endOfRecord {
                // One field.
                while index < count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
                var field = String.UnicodeScalarView()
                if index < count, scalars[index] == "\"" {
                    index += 1
                    var closed = false
                    while index < count {
                        let scalar = scalars[index]
                        if scalar == "\"" {
                            if index + 1 < count, scalars[index + 1] == "\"" {
                                field.append("\"")
                                index += 2
                                continue
                            }
                            index += 1
                            closed = true
                            break
                        }
                        if scalar == "\n" { line += 1 }
                        field.append(scalar)
                        index += 1
                    }
                    if !closed {
                        throw DriftError(.corruptFile, "line \(recordLine): a quoted field is never closed", path: path)
                    }
                    while index < count, scalars[index] == " " || scalars[index] == "\t" || scalars[index] == "\r" {
                        index += 1
                    }
                    if index < count, scalars[index] != ",", scalars[index] != "\n" {
                        throw DriftError(
                            .corruptFile,
                            "line \(line): text after a closing quote (write \"\" for a quote inside a field)",
                            path: path)
                    }
                    fields.append(String(field))
                } else {
                    while index < count, scalars[index] != ",", scalars[index] != "\n" {
                        field.append(scalars[index])
                        index += 1
                    }
                    fields.append(String(field).trimmingCharacters(in: .whitespacesAndNewlines))
                }
                if index < count, scalars[index] == "," {
                    index += 1
                } else {
                    endOfRecord = true
                    if index < count {
                        index += 1  // the newline
                        line += 1
                    }
                }
            }
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }
}
