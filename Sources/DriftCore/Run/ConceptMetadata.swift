public import Foundation

/// A run directory's `concept_metadata.json`: the concepts in row order with their categories, in the reference
/// study's shape (`concepts`, `categories`) and as `rows`, with the vocabulary and the template.
public struct ConceptMetadata: Codable, Sendable, Equatable {
    /// One concept.
    public struct Row: Codable, Sendable, Equatable {
        /// The term.
        public var term: String
        /// Its category.
        public var category: String
        /// The user's numeric covariates of the concept by name (nil when the vocabulary gives none).
        public var covariates: [String: Double]?

        /// Creates a row.
        public init(term: String, category: String, covariates: [String: Double]? = nil) {
            self.term = term
            self.category = category
            self.covariates = covariates
        }
    }

    /// The concepts in row order.
    public var rows: [Row]
    /// The vocabulary's name.
    public var vocabulary: String
    /// The vocabulary's content hash.
    public var vocabularySha256: String
    /// The prompt template (nil for imported vectors: written as `null`).
    public var template: String?
    /// The names of the user's covariates, in the vocabulary's column order (every row has each; empty when none).
    public var covariateNames: [String] = []

    /// The terms in row order.
    public var terms: [String] { rows.map(\.term) }
    /// The categories in row order.
    public var categories: [String] { rows.map(\.category) }

    /// Creates metadata.
    public init(rows: [Row], vocabulary: String, vocabularySha256: String, template: String?) {
        self.rows = rows
        self.vocabulary = vocabulary
        self.vocabularySha256 = vocabularySha256
        self.template = template
    }

    enum CodingKeys: String, CodingKey {
        case rows, vocabulary, template, concepts, categories
        case vocabularySha256 = "vocabulary_sha256"
        case covariateNames = "covariate_names"
    }

    /// Decodes metadata from its `rows` (the reference study's keys are derived from them).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rows = try c.decode([Row].self, forKey: .rows)
        vocabulary = try c.decodeIfPresent(String.self, forKey: .vocabulary) ?? ""
        vocabularySha256 = try c.decodeIfPresent(String.self, forKey: .vocabularySha256) ?? ""
        template = try c.decodeIfPresent(String.self, forKey: .template)
        covariateNames = try c.decodeIfPresent([String].self, forKey: .covariateNames) ?? []
    }

    /// Encodes every key, `template` as `null` when nil.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(terms, forKey: .concepts)
        var byTerm: [String: String] = [:]
        for row in rows { byTerm[row.term] = row.category }
        try c.encode(byTerm, forKey: .categories)
        try c.encode(rows, forKey: .rows)
        try c.encode(template, forKey: .template)
        try c.encode(vocabulary, forKey: .vocabulary)
        try c.encode(vocabularySha256, forKey: .vocabularySha256)
        if !covariateNames.isEmpty { try c.encode(covariateNames, forKey: .covariateNames) }
    }

    /// The concept metadata of the run directory at `directory`, or nil when there is none.
    ///
    /// - Throws: ``DriftError`` naming the file, and the row and field at fault, when it is unreadable or malformed.
    public static func read(in directory: URL) throws -> ConceptMetadata? {
        let file = RunLayout(directory).metadata
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw DriftError(.io, "cannot read the concept metadata: \(error.localizedDescription)", path: file.path)
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: data) else {
            throw DriftError(
                .corruptFile, "the concept metadata is not valid JSON (truncated or damaged)", path: file.path)
        }
        do {
            return try JSONDecoder().decode(ConceptMetadata.self, from: data)
        } catch let error as DecodingError {
            throw DriftError(.corruptFile, JSONFieldError.describe(error, in: parsed), path: file.path)
        }
    }

    /// The file's bytes: what ``write(in:)`` writes.
    ///
    /// - Throws: ``DriftError`` naming `path` when it cannot be encoded.
    public func fileData(path: String) throws -> Data {
        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(self)
        } catch {
            throw DriftError(.io, "cannot encode the concept metadata: \(error)", path: path)
        }
        return try PrettyJSON.data(try JSONSerialization.jsonObject(with: encoded), path: path)
    }

    /// Writes the metadata into the run directory at `directory` atomically.
    ///
    /// - Throws: ``DriftError`` when it cannot be written.
    public func write(in directory: URL) throws {
        let file = RunLayout(directory).metadata
        try AtomicFile.write(try fileData(path: file.path), to: file)
    }
}
