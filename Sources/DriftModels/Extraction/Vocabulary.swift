import DriftCore
public import Foundation

/// An ordered list of concepts with their categories: the rows of every embedding matrix extracted with it.
///
/// Sources: the bundled reference vocabulary ``seed235`` (`seed-235`), a JSON file of the same shape
/// (`{"name": …, "concepts": [{"term": …, "category": …}, …]}`), or a text/CSV file of `term,category` lines.
public struct Vocabulary: Sendable, Equatable {
    /// A short name (`seed-235`, or the file's name without extension).
    public var name: String
    /// The concepts in row order.
    public internal(set) var concepts: [Concept]
    /// The names of the user's covariates, in the file's order; every concept has a value for each.
    public internal(set) var covariateNames: [String] = []

    /// A vocabulary over `concepts`, in that order.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`, naming `path` when given) when `concepts` is empty,
    ///   a term is empty or only whitespace, or a term occurs twice (the error names it).
    public init(name: String, concepts: [Concept], path: String? = nil) throws {
        guard !concepts.isEmpty else {
            throw DriftError(.invalidArgument, "the vocabulary \(DriftError.quote(name)) has no concepts", path: path)
        }
        var seen: [String: Int] = [:]
        for (index, concept) in concepts.enumerated() {
            if concept.term.allSatisfy(\.isWhitespace) {
                throw DriftError(
                    .invalidArgument,
                    "concept \(index + 1) of the vocabulary \(DriftError.quote(name)) has an empty term", path: path)
            }
            if let first = seen[concept.term] {
                throw DriftError(
                    .invalidArgument,
                    "the term \(DriftError.quote(concept.term)) occurs twice in the vocabulary \(DriftError.quote(name)) (concepts \(first + 1) and \(index + 1))",
                    path: path)
            }
            seen[concept.term] = index
        }
        self.name = name
        self.concepts = concepts
    }

    /// A vocabulary whose concepts are known to be valid (the generated bundled ones).
    init(uncheckedName name: String, concepts: [Concept]) {
        self.name = name
        self.concepts = concepts
    }

    /// The terms in row order.
    public var terms: [String] { concepts.map(\.term) }

    /// The distinct categories in order of first appearance.
    public var categories: [String] {
        var seen = Set<String>()
        return concepts.map(\.category).filter { seen.insert($0).inserted }
    }

    /// The number of concepts.
    public var count: Int { concepts.count }

    /// A SHA-256 over the terms and categories in order (not the name): equal exactly when the rows are equal.
    public var contentHash: String {
        var hasher = SHA256()
        hasher.update(text: "embedding-drift vocabulary v1\n")
        for concept in concepts {
            // Length-prefixed so that no two different lists hash the same text.
            let term = Array(concept.term.utf8)
            let category = Array(concept.category.utf8)
            hasher.update(text: "\(term.count):")
            hasher.update(term)
            hasher.update(text: "\(category.count):")
            hasher.update(category)
            hasher.update(text: "\n")
        }
        return hasher.hexDigest()
    }

    /// The names that ``load(_:)`` understands as bundled vocabularies.
    public static let bundledNames = ["seed-235"]

    /// A bundled vocabulary (`seed-235`) by name, or a vocabulary file by path.
    ///
    /// A path ending in `.json` is read as JSON; anything else as `term,category` lines.
    /// - Throws: ``DriftCore/DriftError`` when the file is missing, unreadable or malformed (with its line number).
    public static func load(_ nameOrPath: String) throws -> Vocabulary {
        if nameOrPath == "seed-235" { return seed235 }
        let url = URL(fileURLWithPath: nameOrPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DriftError(
                .missing,
                "no vocabulary file here, and not a bundled vocabulary (bundled: \(bundledNames.joined(separator: ", ")))",
                path: nameOrPath)
        }
        return try load(contentsOf: url)
    }

    /// A vocabulary file: JSON when the name ends in `.json`, else `term,category` lines (CSV or text).
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file when it cannot be read or parsed.
    public static func load(contentsOf url: URL) throws -> Vocabulary {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DriftError(.io, "cannot read the vocabulary file: \(error.localizedDescription)", path: url.path)
        }
        let name = url.deletingPathExtension().lastPathComponent
        if url.pathExtension.lowercased() == "json" {
            return try parseJSON(data, defaultName: name, path: url.path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DriftError(.corruptFile, "the vocabulary file is not UTF-8 text", path: url.path)
        }
        return try parseDelimited(text, name: name, path: url.path)
    }
}
