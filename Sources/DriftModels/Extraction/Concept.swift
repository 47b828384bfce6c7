/// One concept of a vocabulary: the term put into the prompt template, and the category it is analysed under.
public struct Concept: Sendable, Equatable, Hashable, Codable {
    /// The term, exactly as it is inserted into the template, such as `South Korea`.
    public var term: String
    /// The category, such as `factual`; `default` when a file gives none.
    public var category: String
    /// The user's numeric covariates of the concept by name (extra CSV columns or JSON fields); nil when none.
    public var covariates: [String: Double]?

    /// Creates a concept.
    public init(term: String, category: String = Concept.defaultCategory, covariates: [String: Double]? = nil) {
        self.term = term
        self.category = category
        self.covariates = covariates
    }

    /// The category of a concept whose file names none.
    public static let defaultCategory = "default"
}
