import DriftCore
import Foundation

/// A model repository on the Hugging Face Hub and the revision wanted: `meta-llama/Llama-3.2-1B` at `main`.
///
/// Written `<owner>/<name>[#<revision>]` (the revision after `#`, so that `@<scheme>` keeps its meaning in a
/// ``ModelReference``). Repository names follow the Hub's own rule (huggingface_hub's `validate_repo_id`): each part
/// is letters, digits, `-`, `_` and `.`, starts and ends with a letter, digit or `_`, has no `--` or `..`, the whole
/// id is at most 96 characters and does not end in `.git`. The owner may be omitted for legacy ids (`gpt2`).
public struct HubModelID: Sendable, Hashable, CustomStringConvertible {
    /// `owner/name` (or a legacy `name`).
    public var repository: String
    /// A branch, tag or commit hash (`main`, `v1.0`, `refs/pr/1`, 40 hexadecimal digits).
    public var revision: String

    /// The revision used when none is given.
    public static let defaultRevision = "main"

    /// Creates an id, checking the repository name and the revision.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) saying which rule the text breaks.
    public init(repository: String, revision: String = HubModelID.defaultRevision) throws {
        try Self.validate(repository: repository)
        try Self.validate(revision: revision, of: repository)
        self.repository = repository
        self.revision = revision
    }

    /// Parses `owner/name[#revision]`.
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) for an invalid name or revision.
    public init(parsing text: String) throws {
        if let hash = text.firstIndex(of: "#") {
            try self.init(
                repository: String(text[..<hash]), revision: String(text[text.index(after: hash)...]))
        } else {
            try self.init(repository: text)
        }
    }

    /// Whether `text` has the shape of an `owner/name[#revision]` hub id.
    ///
    /// Exactly one `/` before any `#`, and valid parts; used to accept bare hub ids that are not local paths.
    public static func looksLikeHubID(_ text: String) -> Bool {
        let repository = text.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard repository.split(separator: "/", omittingEmptySubsequences: false).count == 2 else { return false }
        return (try? HubModelID(parsing: text)) != nil
    }

    /// Whether `revision` is a full commit hash (40 lowercase hexadecimal digits), used without looking up a ref.
    public var isCommitHash: Bool { Self.isCommitHash(revision) }

    /// Whether `text` is 40 lowercase hexadecimal digits (huggingface_hub's `REGEX_COMMIT_HASH`).
    public static func isCommitHash(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The cache folder's name: `models--owner--name` (huggingface_hub's `repo_folder_name`).
    public var cacheFolderName: String {
        (["models"] + repository.split(separator: "/").map(String.init)).joined(separator: "--")
    }

    /// `owner/name` or `owner/name#revision` when the revision is not `main`.
    public var description: String {
        revision == Self.defaultRevision ? repository : "\(repository)#\(revision)"
    }

    private static func validate(repository: String) throws {
        let parts = repository.split(separator: "/", omittingEmptySubsequences: false)
        func fail(_ why: String) -> DriftError {
            DriftError(
                .invalidArgument,
                "'\(repository)' is not a Hugging Face Hub model id (\(why)); expected <owner>/<name>, e.g. meta-llama/Llama-3.2-1B"
            )
        }
        guard !repository.isEmpty else { throw fail("empty") }
        guard parts.count <= 2 else { throw fail("more than one '/'") }
        guard repository.count <= 96 else { throw fail("longer than 96 characters") }
        guard !repository.contains("--"), !repository.contains("..") else {
            throw fail("'--' and '..' are not allowed")
        }
        guard !repository.hasSuffix(".git") else { throw fail("it ends in .git") }
        for part in parts {
            guard let first = part.unicodeScalars.first, let last = part.unicodeScalars.last else {
                throw fail("an empty part")
            }
            guard part.unicodeScalars.allSatisfy({ isWordScalar($0) || $0 == "-" || $0 == "." }) else {
                throw fail("only letters, digits, '-', '_' and '.' are allowed")
            }
            guard isWordScalar(first), isWordScalar(last) else {
                throw fail("each part starts and ends with a letter, digit or '_'")
            }
        }
    }

    private static func validate(revision: String, of repository: String) throws {
        let components = revision.split(separator: "/", omittingEmptySubsequences: false)
        guard !revision.isEmpty, !revision.hasPrefix("/"),
            components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }),
            !revision.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" || $0 == "@" || $0 == "#" })
        else {
            throw DriftError(
                .invalidArgument,
                "'\(revision)' is not a revision of \(repository): give a branch, tag or commit hash after '#' (e.g. #main)"
            )
        }
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
    }
}
