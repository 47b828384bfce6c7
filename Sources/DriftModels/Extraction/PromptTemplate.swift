import DriftCore
import Foundation

/// The prompt a concept is embedded in: text with exactly one `{term}` placeholder.
public struct PromptTemplate: Sendable, Equatable, CustomStringConvertible {
    /// The template text, `{term}` included.
    public let text: String
    private let prefix: String
    private let suffix: String

    /// The placeholder replaced by each term.
    public static let placeholder = "{term}"

    /// The reference study's template, `The concept of {term} is`.
    public static let `default` = PromptTemplate(uncheckedPrefix: "The concept of ", suffix: " is")

    /// A template from `text`.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) when `text` does not contain `{term}` exactly once.
    public init(_ text: String) throws {
        let parts = text.components(separatedBy: PromptTemplate.placeholder)
        guard parts.count == 2 else {
            let found = parts.count - 1
            throw DriftError(
                .invalidArgument,
                "the template \(DriftError.quote(text)) must contain {term} exactly once (found \(found)), e.g. \"The concept of {term} is\""
            )
        }
        self.text = text
        self.prefix = parts[0]
        self.suffix = parts[1]
    }

    private init(uncheckedPrefix prefix: String, suffix: String) {
        self.text = prefix + PromptTemplate.placeholder + suffix
        self.prefix = prefix
        self.suffix = suffix
    }

    /// The text before `{term}`.
    var textBeforeTerm: String { prefix }

    /// The prompt for `term`: the template with `{term}` replaced (the term is inserted verbatim).
    public func prompt(for term: String) -> String {
        prefix + term + suffix
    }

    public var description: String { text }
}
