/// One concept of a vocabulary: the term put into the prompt template, and the category it is analysed under.
public struct Concept: Sendable, Equatable, Hashable, Codable {
    /// The term, exactly as it is inserted into the template, such as `South Korea`.
    public var term: String
    /// The category, such as `factual`; `default` when a file gives none.
    public var category: String

    /// Creates a concept.
    public init(term: String, category: String = Concept.defaultCategory) {
        self.term = term
        self.category = category
    }

    /// The category of a concept whose file names none.
    public static let defaultCategory = "default"
}
