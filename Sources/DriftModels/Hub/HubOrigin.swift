public import Foundation

/// Where a model taken from the Hugging Face Hub came from: the repository, the revision asked for and the commit it
/// resolved to — what another machine needs to fetch exactly the same files.
public struct HubOrigin: Sendable, Equatable {
    /// The repository and the revision as given (`main`, a tag, a commit).
    public var id: HubModelID
    /// The 40-hexadecimal-digit commit the revision pointed at when the model was resolved.
    public var commit: String

    /// Creates an origin.
    public init(id: HubModelID, commit: String) {
        self.id = id
        self.commit = commit
    }

    /// The origin of a snapshot folder of the Hugging Face cache (`…/snapshots/<commit>`), or nil when the folder's
    /// name is not a commit hash.
    public init?(id: HubModelID, snapshot: URL) {
        let commit = snapshot.standardizedFileURL.lastPathComponent
        guard HubModelID.isCommitHash(commit) else { return nil }
        self.init(id: id, commit: commit)
    }

    /// `{"id": "owner/name", "revision": "main", "commit": "<40 hex>"}`, as the run manifest records it.
    package var manifestObject: [String: String] {
        ["id": id.repository, "revision": id.revision, "commit": commit]
    }
}
