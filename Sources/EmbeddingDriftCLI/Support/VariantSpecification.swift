import DriftCore
import DriftModels

/// A `name=path` command-line argument naming one variant (`compare`'s models, `import`'s arrays).
struct VariantSpecification: Equatable {
    /// The variant's name.
    var name: String
    /// The model or file, as given.
    var path: String

    /// Parses `name=path` (the first `=` separates them; the name must be a valid variant name).
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) for a missing `=`, an empty path or an invalid name.
    init(parsing argument: String, what: String) throws {
        guard let equals = argument.firstIndex(of: "=") else {
            throw DriftError(
                .invalidArgument, "expected name=\(what), got \"\(argument)\" (for example base=~/models/Llama-3.2-1B)")
        }
        name = String(argument[..<equals])
        path = String(argument[argument.index(after: equals)...])
        try ExtractionWriter.validate(name: name)
        guard !path.isEmpty else { throw DriftError(.invalidArgument, "variant \"\(name)\" names no \(what)") }
    }

    /// Parses every argument and checks that there are at least two and no name repeats.
    static func parseAll(_ arguments: [String], what: String) throws -> [VariantSpecification] {
        let specifications = try arguments.map { try VariantSpecification(parsing: $0, what: what) }
        guard specifications.count >= 2 else {
            throw DriftError(
                .invalidArgument, "give at least two variants as name=\(what) (got \(specifications.count))")
        }
        var seen = Set<String>()
        for specification in specifications where !seen.insert(specification.name).inserted {
            throw DriftError(.invalidArgument, "the variant name \"\(specification.name)\" is given twice")
        }
        return specifications
    }
}
