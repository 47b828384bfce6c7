/// What a ``HubResolver`` is doing, for a progress display (libraries never print).
public enum HubProgress: Sendable, Equatable {
    /// Asking the Hub which commit a revision is and which files it holds.
    case listing(repository: String, revision: String)
    /// `bytes` of `file` are on disk out of `total` (nil when the server gave no size); repeated as bytes arrive,
    /// starting from the bytes an earlier, interrupted download left.
    case downloading(file: String, bytes: Int64, total: Int64?)
    /// The download of `file` is complete; its SHA-256 is being checked against the ETag (LFS files).
    case verifying(file: String)
    /// The Hub could not be reached; the complete copy in the cache is used (`reason` says why).
    case usingCache(repository: String, reason: String)
    /// A request failed in a way that may pass (`reason`: `HTTP 503`, a timeout, a dropped connection); attempt
    /// `attempt` of at most `of` failed and the request is sent again after `seconds`.
    case retrying(what: String, reason: String, attempt: Int, of: Int, seconds: Double)
}
