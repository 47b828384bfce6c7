/// An error from EmbeddingDrift's core: what went wrong, and where.
///
/// Its `description` is one line a user can act on: the file (when there is one) and the problem.
public struct DriftError: Error, Sendable, CustomStringConvertible {
    /// The broad kind of failure.
    public enum Kind: Sendable, Equatable {
        /// A file could not be read or written.
        case io
        /// A file's content is not what its format requires.
        case corruptFile
        /// A file or option names something this tool does not support.
        case unsupported
        /// The user gave an invalid argument.
        case invalidArgument
        /// A file or tensor named by another file is missing.
        case missing
        /// A server refused a request or could not be reached (the Hugging Face Hub: access, network).
        case network
    }

    /// The broad kind of failure.
    public var kind: Kind
    /// The file concerned, if any.
    public var path: String?
    /// What is wrong, in words.
    public var message: String

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, path: String? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
    }

    public var description: String {
        if let path { return "\(path): \(message)" }
        return message
    }
}
