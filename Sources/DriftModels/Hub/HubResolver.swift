import DriftCore
public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns a ``HubModelID`` into a local checkpoint folder: the snapshot in the Hugging Face cache, downloading the
/// missing files first unless offline.
///
/// It follows huggingface_hub (`snapshot_download` and `hf_hub_download`) so that both share one cache:
/// 1. Offline (``HubEnvironment/offline``): the revision is a commit hash or is read from `refs/<revision>`; the
///    snapshot must hold every needed file. No request is made.
/// 2. Online: a commit hash whose snapshot is complete is used without a request. Otherwise `GET {endpoint}/api/models/{id}/revision/{revision}` gives the commit (`sha`) and the file list
///    (`siblings`); `refs/<revision>` is written. If the Hub cannot be reached, a complete cached snapshot is used
///    instead (reported as ``HubProgress/usingCache(repository:reason:)``).
/// 3. For each needed file (``HubFileSelection``) missing from `snapshots/<commit>/`: `HEAD {endpoint}/{id}/resolve/
///    {commit}/{file}` (with `Accept-Encoding: identity`; redirects to the same origin followed, a redirect elsewhere
///    — a CDN — not) gives `X-Repo-Commit`, the ETag (`X-Linked-Etag` before `ETag`, quotes and `W/` removed), the
///    size (`X-Linked-Size`, else `Content-Length` of a non-redirect) and the download location (`Location`, else
///    the URL). A blob already in `blobs/<etag>` is linked; otherwise it is downloaded under a lock into
///    `blobs/<etag>.incomplete`, resumed with `Range: bytes=<length>-` (from an earlier run, or after a cut
///    connection: up to 5 retries in a row without new bytes), its size checked, its SHA-256 checked when the ETag is
///    one (LFS files), renamed into `blobs/<etag>` and linked from the snapshot (`../../blobs/<etag>`).
///
/// Transient failures — HTTP 408, 429, 500, 502, 503, 504, no connection, a timeout or a dropped connection — are
/// retried as huggingface_hub's `http_backoff` does (``HubRetryPolicy``: 5 retries, waiting `Retry-After` + 1 s or
/// 1, 2, 4, 8, 8 s); 401, 403 and 404 never are. The listing is sent once when a complete copy is cached (a
/// transient failure then falls back to that copy), and is not retried when no connection can be made at all.
///
/// The token (`Authorization: Bearer …`) is sent to the endpoint's origin only — not to a CDN a redirect points at —
/// and appears in no error or progress report.
public struct HubResolver: Sendable {
    /// Cache, endpoint, token and offline mode.
    public var environment: HubEnvironment
    /// Receives progress reports (from the calling thread or URLSession's), or nil.
    public var progress: (@Sendable (HubProgress) -> Void)?
    /// Seconds without data before a request fails (huggingface_hub's `HF_HUB_ETAG_TIMEOUT` is 10).
    public var timeout: Double = 10
    /// Which failures are retried, how often, and how long to wait (huggingface_hub's `http_backoff`).
    var retryPolicy = HubRetryPolicy()
    /// The most bytes a repository listing may have.
    static let maximumListing = 64 << 20

    /// A resolver reading the process environment, with optional offline override and progress callback.
    public init(
        environment: HubEnvironment = HubEnvironment(), offline: Bool = false,
        progress: (@Sendable (HubProgress) -> Void)? = nil
    ) {
        self.environment = environment
        if offline { self.environment.offline = true }
        self.progress = progress
    }

    /// The local folder holding `id`'s config, tokenizer and safetensors files, downloading what is missing.
    ///
    /// - Throws: ``DriftCore/DriftError``: `.missing` when offline and the cache lacks the model or a file (the
    ///   message says how to get it), or for an unknown model or revision (HTTP 404); `.network` for a gated or
    ///   private model (HTTP 401/403: the message says to accept the licence and set `HF_TOKEN`), an unreachable
    ///   Hub (the message suggests `--offline` for cached models) or another HTTP failure; `.corruptFile` when a
    ///   download's SHA-256 differs from its ETag (the partial file is deleted); `.io` when the cache cannot be
    ///   written.
    public func snapshot(for id: HubModelID) throws -> URL {
        let cache = HubCache(root: environment.cacheDirectory, id: id)
        if environment.offline {
            return try cachedSnapshot(id, cache: cache, why: "offline (--offline or HF_HUB_OFFLINE=1)")
        }
        // A commit never changes: a complete snapshot of one needs no request (as hf_hub_download's shortcut).
        if id.isCommitHash, let folder = try? cachedSnapshot(id, cache: cache, why: "") {
            return folder
        }
        progress?(.listing(repository: id.repository, revision: id.revision))
        // With a complete copy in the cache, one attempt: a failure that may pass falls back to the copy at once
        // (as huggingface_hub's first, unretried request does); without one, transient failures are retried.
        let cached = try? cachedSnapshot(id, cache: cache, why: "")
        let listing: (commit: String, files: [String])
        do {
            listing = try fetchListing(id, retrying: cached == nil)
        } catch let failure as HubHTTPClient.TransportFailure {
            if let cached {
                progress?(
                    .usingCache(
                        repository: id.repository, reason: "cannot reach \(environment.endpoint): \(failure.reason)"))
                return cached
            }
            throw unreachable(failure, id: id, cache: cache)
        } catch let busy as TransientStatus {
            if let cached {
                progress?(
                    .usingCache(
                        repository: id.repository,
                        reason: "\(environment.endpoint) answered HTTP \(busy.response.status)"))
                return cached
            }
            try check(busy.response, id: id, file: nil)
            throw DriftError(.network, "\(environment.endpoint) answered HTTP \(busy.response.status) for \(id)")
        }
        let commit = listing.commit
        try cache.writeRef(id.revision, commit: commit)
        do {
            for file in HubFileSelection.firstFiles(in: listing.files) {
                try ensure(file, id: id, commit: commit, cache: cache)
            }
            let shards = try indexShards(cache.snapshot(commit), listed: listing.files)
            let weights = HubFileSelection.weightFiles(in: listing.files, indexShards: shards)
            guard !weights.isEmpty else {
                throw DriftError(
                    .unsupported,
                    "\(id) has no safetensors weights on the Hub (only .safetensors checkpoints can be loaded; .bin, .gguf and ONNX files are not downloaded)"
                )
            }
            for file in weights {
                try ensure(file, id: id, commit: commit, cache: cache)
            }
        } catch let failure as HubHTTPClient.TransportFailure {
            throw unreachable(failure, id: id, cache: cache)
        }
        return cache.snapshot(commit)
    }

    // MARK: - The cache alone

    /// The snapshot in the cache, checked to hold `config.json` and its weights.
    func cachedSnapshot(_ id: HubModelID, cache: HubCache, why: String) throws -> URL {
        let action =
            "run once without --offline (and without HF_HUB_OFFLINE=1) to download it, or point HF_HUB_CACHE at a cache that has it"
        guard let commit = cache.commit(for: id.revision) else {
            throw DriftError(
                .missing,
                "\(id) is not in the Hugging Face cache\(why.isEmpty ? "" : " and the Hub is not asked: " + why); \(action)",
                path: cache.storage.path)
        }
        let folder = cache.snapshot(commit)
        var missing: [String] = []
        if !cache.hasFile("config.json", commit: commit) { missing.append("config.json") }
        let present = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let shards = try? indexShards(folder, listed: nil)
        let weights = HubFileSelection.weightFiles(in: present, indexShards: shards ?? nil)
        if weights.isEmpty { missing.append("*.safetensors") }
        missing += weights.filter { !cache.hasFile($0, commit: commit) }
        guard missing.isEmpty else {
            throw DriftError(
                .missing,
                "the cached snapshot of \(id) lacks \(missing.joined(separator: ", "))\(why.isEmpty ? "" : " and the Hub is not asked: " + why); \(action)",
                path: folder.path)
        }
        return folder
    }

    /// The shard names in the snapshot's `model.safetensors.index.json`, or nil without one; with `listed`, only
    /// names the repository has.
    private func indexShards(_ folder: URL, listed: [String]?) throws -> [String]? {
        let index = folder.appendingPathComponent(SafetensorsStore.indexFileName)
        guard FileManager.default.fileExists(atPath: index.path) else { return nil }
        let root = try JSONValue.read(path: index.path)
        guard let weightMap = root["weight_map"]?.objectValue else {
            throw DriftError(.corruptFile, "the shard index has no \"weight_map\" object", path: index.path)
        }
        var names = Set<String>()
        for (_, value) in weightMap {
            guard let name = value.stringValue, !name.isEmpty, !name.hasPrefix("/"),
                !name.split(separator: "/").contains("..")
            else {
                throw DriftError(.corruptFile, "the shard index names a file outside the repository", path: index.path)
            }
            names.insert(name)
        }
        if let listed {
            let missing = names.subtracting(listed)
            guard missing.isEmpty else {
                throw DriftError(
                    .corruptFile,
                    "the shard index names \(missing.sorted().joined(separator: ", ")), which the repository does not have",
                    path: index.path)
            }
        }
        return names.sorted()
    }

    // MARK: - Requests

    private var client: HubHTTPClient { HubHTTPClient(timeout: timeout) }

    /// `GET /api/models/{id}/revision/{revision}`: the commit and the file names.
    ///
    /// - Throws: ``TransientStatus`` when not `retrying` and the answer is a status worth retrying; see
    ///   ``sendRetrying(_:retrying:retryingUnconnected:_:)``.
    private func fetchListing(_ id: HubModelID, retrying: Bool) throws -> (commit: String, files: [String]) {
        let url = try makeURL(
            "\(environment.endpoint)/api/models/\(id.repository)/revision/\(Self.quote(id.revision, keepingSlash: false))"
        )
        var request = URLRequest(url: url)
        request.httpMethod = "GET"
        addHeaders(to: &request, authorized: true)
        // A Hub that cannot be connected to at all on this first request is unreachable (offline, a wrong
        // HF_ENDPOINT), not flaky: say so at once, as huggingface_hub's unretried listing does.
        let response = try sendRetrying("the file list of \(id)", retrying: retrying, retryingUnconnected: false) {
            try client.send(request, maximumCollected: Self.maximumListing)
        }
        if !retrying, HubRetryPolicy.retries(status: response.status) { throw TransientStatus(response: response) }
        try check(response, id: id, file: nil)
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
            let commit = object["sha"] as? String, HubModelID.isCommitHash(commit)
        else {
            throw DriftError(
                .network,
                "\(environment.endpoint) did not answer the model listing of \(id) as the Hugging Face Hub does (no commit sha); check HF_ENDPOINT"
            )
        }
        let siblings = (object["siblings"] as? [[String: Any]]) ?? []
        return (commit, siblings.compactMap { $0["rfilename"] as? String })
    }

    /// What `HEAD …/resolve/{commit}/{file}` says about a file.
    struct FileMetadata: Sendable {
        var commit: String
        var etag: String
        var size: Int64?
        var location: URL
    }

    /// Makes sure `snapshots/<commit>/<file>` exists, downloading its blob when needed.
    private func ensure(_ file: String, id: HubModelID, commit: String, cache: HubCache) throws {
        guard !cache.hasFile(file, commit: commit) else { return }
        let metadata = try fetchMetadata(file, id: id, revision: commit)
        guard HubModelID.isCommitHash(metadata.commit), Self.isSafeETag(metadata.etag) else {
            throw DriftError(
                .network, "\(environment.endpoint) sent no usable X-Repo-Commit or ETag for \(file) of \(id)")
        }
        let blob = cache.blob(metadata.etag)
        cache.tagCacheDirectory()
        try cache.withLock(metadata.etag) {
            if !FileManager.default.fileExists(atPath: blob.path) {
                try download(file, metadata: metadata, id: id, cache: cache)
            }
        }
        try cache.link(file, commit: commit, etag: metadata.etag)
    }

    /// The HEAD request, following redirects within the endpoint's origin (huggingface_hub follows redirects to a
    /// Hub host and stops at any other: the metadata is on that redirect response itself).
    func fetchMetadata(_ file: String, id: HubModelID, revision: String) throws -> FileMetadata {
        var url = try resolveURL(file, id: id, revision: revision)
        for _ in 0..<10 {
            var request = URLRequest(url: url)
            request.httpMethod = "HEAD"
            addHeaders(to: &request, authorized: true)
            request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
            let response = try sendRetrying("\(file) of \(id)") { try client.send(request) }
            try check(response, id: id, file: file)
            if let target = response.redirectTarget, Self.sameOrigin(target, url) {
                url = target
                continue
            }
            let etag = Self.normalizedETag(response.header("X-Linked-Etag") ?? response.header("ETag"))
            let isRedirect = response.redirectTarget != nil
            let size = (response.header("X-Linked-Size") ?? (isRedirect ? nil : response.header("Content-Length")))
                .flatMap { Int64($0) }
            return FileMetadata(
                commit: response.header("X-Repo-Commit") ?? "", etag: etag ?? "", size: size,
                location: response.redirectTarget ?? url)
        }
        throw DriftError(.network, "too many redirects asking \(environment.endpoint) for \(file) of \(id)")
    }

    /// Downloads the blob into `blobs/<etag>.incomplete` (resuming), verifies it and renames it into place.
    private func download(_ file: String, metadata: FileMetadata, id: HubModelID, cache: HubCache) throws {
        let incomplete = cache.incompleteBlob(metadata.etag)
        let blob = cache.blob(metadata.etag)
        do {
            try FileManager.default.createDirectory(
                at: incomplete.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw DriftError(
                .io, "cannot create the cache folder: \(error.localizedDescription)", path: incomplete.path)
        }
        if !FileManager.default.fileExists(atPath: incomplete.path) {
            guard FileManager.default.createFile(atPath: incomplete.path, contents: nil) else {
                throw DriftError(.io, "cannot create the download file", path: incomplete.path)
            }
        }
        let expected = metadata.size
        let what = "\(file) of \(id)"
        // Attempts in a row that brought no new bytes: bytes received start the count again (as huggingface_hub's
        // `http_get` does), so a long download survives any number of cuts that each make progress.
        var failures = 0
        var attempts = 0
        while true {
            var resume = Self.fileSize(incomplete)
            if let expected, resume > expected {
                try Self.truncateFile(incomplete)
                resume = 0
            }
            if let expected, resume == expected { break }
            progress?(.downloading(file: file, bytes: resume, total: expected))
            attempts += 1
            let outcome: DownloadOutcome
            do {
                outcome = try fetchBody(file, metadata: metadata, id: id, into: incomplete, from: resume)
            } catch var failure as HubHTTPClient.TransportFailure {
                failures = failure.bytesReceived > 0 ? 1 : failures + 1
                guard failures <= retryPolicy.maximumRetries else {
                    failure.attempts = attempts
                    throw failure
                }
                waitBeforeRetry(failures, what: what, reason: failure.reason, after: nil)
                continue
            }
            switch outcome {
            case .complete:
                break
            case .transientStatus(let response):
                failures += 1
                guard failures <= retryPolicy.maximumRetries else {
                    throw gaveUp(on: what, attempts: attempts, last: response)
                }
                waitBeforeRetry(failures, what: what, reason: "HTTP \(response.status)", after: response)
                continue
            case .rangeNotSatisfiable:
                // The partial file does not fit the server's copy: start over.
                try Self.truncateFile(incomplete)
                failures += 1
                guard failures <= retryPolicy.maximumRetries else {
                    throw DriftError(.network, "\(environment.endpoint) refused to resume \(file) of \(id) (HTTP 416)")
                }
                continue
            }
            if let expected, Self.fileSize(incomplete) < expected {
                // The body ended early without a transport error: resume.
                failures = Self.fileSize(incomplete) > resume ? 1 : failures + 1
                guard failures <= retryPolicy.maximumRetries else {
                    throw HubHTTPClient.TransportFailure(
                        reason: "the download of \(file) keeps ending early", bytesReceived: 0, attempts: attempts)
                }
                continue
            }
            break
        }
        let size = Self.fileSize(incomplete)
        if let expected, size != expected {
            try? FileManager.default.removeItem(at: incomplete)
            throw DriftError(
                .corruptFile,
                "\(file) of \(id) downloaded as \(size) bytes but the Hub announced \(expected); the partial file was deleted — run the command again",
                path: incomplete.path)
        }
        // Hashed after the download, not as bytes arrive: URLSession on Linux queues incoming data without
        // back-pressure, so a sink slower than the network would hold the file in memory.
        if Self.isSHA256(metadata.etag) {
            progress?(.verifying(file: file))
            let digest = try Self.sha256(of: incomplete)
            guard digest == metadata.etag else {
                try? FileManager.default.removeItem(at: incomplete)
                throw DriftError(
                    .corruptFile,
                    "checksum mismatch for \(file) of \(id): the downloaded bytes have SHA-256 \(digest) but the Hub's ETag is \(metadata.etag); the download was deleted — run the command again",
                    path: blob.path)
            }
        }
        let mask = umask(0o022)
        umask(mask)
        _ = chmod(incomplete.path, 0o666 & ~mask)
        guard rename(incomplete.path, blob.path) == 0 else {
            throw DriftError(
                .io, "cannot move the download into place: \(String(cString: strerror(errno)))", path: blob.path)
        }
    }

    private enum DownloadOutcome {
        case complete
        case rangeNotSatisfiable
        /// A status worth retrying (``HubRetryPolicy/retriedStatuses``).
        case transientStatus(HubHTTPClient.Response)
    }

    /// One GET of the file body, appended to `file` from `resume` (restarting at 0 when the server ignores Range).
    private func fetchBody(
        _ name: String, metadata: FileMetadata, id: HubModelID, into file: URL, from resume: Int64
    ) throws -> DownloadOutcome {
        let resolve = try resolveURL(name, id: id, revision: metadata.commit)
        var url = metadata.location
        for _ in 0..<10 {
            var request = URLRequest(url: url)
            request.httpMethod = "GET"
            addHeaders(to: &request, authorized: Self.sameOrigin(url, resolve))
            request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
            if resume > 0 { request.setValue("bytes=\(resume)-", forHTTPHeaderField: "Range") }
            let handle: FileHandle
            do {
                handle = try FileHandle(forWritingTo: file)
            } catch {
                throw DriftError(.io, "cannot open the download file: \(error.localizedDescription)", path: file.path)
            }
            defer { try? handle.close() }
            let progress = self.progress
            let expected = metadata.size
            var written = resume
            let response = try client.send(
                request,
                accept: { response in
                    switch response.status {
                    case 206 where resume > 0:
                        try handle.seek(toOffset: UInt64(resume))
                        return true
                    case 200:
                        try handle.truncate(atOffset: 0)
                        written = 0
                        return true
                    default:
                        return false
                    }
                },
                sink: { data in
                    try handle.write(contentsOf: data)
                    written += Int64(data.count)
                    progress?(.downloading(file: name, bytes: written, total: expected))
                })
            if response.status == 416 { return .rangeNotSatisfiable }
            if HubRetryPolicy.retries(status: response.status) { return .transientStatus(response) }
            if let target = response.redirectTarget {
                url = target
                continue
            }
            try check(response, id: id, file: name)
            return .complete
        }
        throw DriftError(.network, "too many redirects downloading \(name) of \(id)")
    }

    // MARK: - Helpers

    private func resolveURL(_ file: String, id: HubModelID, revision: String) throws -> URL {
        try makeURL(
            "\(environment.endpoint)/\(id.repository)/resolve/\(Self.quote(revision, keepingSlash: false))/\(Self.quote(file, keepingSlash: true))"
        )
    }

    private func makeURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), url.scheme != nil, url.host != nil else {
            throw DriftError(
                .invalidArgument, "'\(environment.endpoint)' is not a valid Hub endpoint URL (HF_ENDPOINT)")
        }
        return url
    }

    private func addHeaders(to request: inout URLRequest, authorized: Bool) {
        request.setValue("embedding-drift/1 (huggingface_hub-compatible)", forHTTPHeaderField: "User-Agent")
        if authorized, let token = environment.token {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
    }

    /// Throws the one-line error for a failed response (3xx, 2xx and 416 pass).
    private func check(_ response: HubHTTPClient.Response, id: HubModelID, file: String?) throws {
        let status = response.status
        guard status >= 400, status != 416 else { return }
        let code = response.header("X-Error-Code") ?? ""
        let what = file.map { "\($0) of \(id)" } ?? "\(id)"
        let page = "\(environment.endpoint)/\(id.repository)"
        switch status {
        case 401, 403:
            if code == "RepoNotFound" {
                throw DriftError(
                    .network,
                    "no model \(id.repository) on the Hub at \(environment.endpoint), or it is private (HTTP \(status)): check the id; for a private model set HF_TOKEN to a token of an account that can read it"
                )
            }
            let tokenState =
                environment.token == nil
                ? "no token is set: set HF_TOKEN (or run `hf auth login`) with an access token of that account"
                : "the token given was not accepted for it: check that HF_TOKEN belongs to the account that accepted the licence"
            throw DriftError(
                .network,
                "\(id.repository) is gated or private (HTTP \(status)): accept its licence on \(page) while logged in; \(tokenState)"
            )
        case 404:
            switch code {
            case "RevisionNotFound":
                throw DriftError(
                    .missing,
                    "no revision '\(id.revision)' of \(id.repository) on the Hub (HTTP 404): check the branch, tag or commit after '#'"
                )
            case "EntryNotFound":
                throw DriftError(.missing, "\(what) is not on the Hub (HTTP 404)")
            default:
                throw DriftError(
                    .missing,
                    "no model \(id.repository) (revision \(id.revision)) on the Hub at \(environment.endpoint) (HTTP 404): check the id and the revision"
                )
            }
        default:
            let message = response.header("X-Error-Message").map { ": \($0)" } ?? ""
            throw DriftError(.network, "\(environment.endpoint) answered HTTP \(status) for \(what)\(message)")
        }
    }

    private func unreachable(_ failure: HubHTTPClient.TransportFailure, id: HubModelID, cache: HubCache) -> DriftError {
        // After retries the Hub answered before: the connection is flaky, and running again resumes.
        let tries =
            failure.attempts > 1
            ? ", \(failure.attempts) attempts; files already downloaded are kept and a partial download resumes when you run the command again"
            : ""
        return DriftError(
            .network,
            "cannot reach the Hugging Face Hub at \(environment.endpoint) (\(failure.reason)\(tries)) and \(id) is not complete in the cache at \(environment.cacheDirectory.path); check the network or HF_ENDPOINT — for a model already cached, run with --offline (or HF_HUB_OFFLINE=1), with HF_HUB_CACHE pointing at its cache"
        )
    }

    private static func truncateFile(_ file: URL) throws {
        guard truncate(file.path, 0) == 0 else {
            throw DriftError(.io, "cannot truncate: \(String(cString: strerror(errno)))", path: file.path)
        }
    }

    static func fileSize(_ file: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// huggingface_hub's `_normalize_etag`: strips a leading `W/` and surrounding quotes.
    static func normalizedETag(_ etag: String?) -> String? {
        guard var etag else { return nil }
        while let first = etag.first, first == "W" || first == "/" { etag.removeFirst() }
        return etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// Whether an ETag can name a blob file: 1 to 128 letters, digits, `-` and `_` (the Hub's are hexadecimal).
    static func isSafeETag(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count)
            && text.utf8.allSatisfy {
                (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95
            }
    }

    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Python's `urllib.parse.quote`: letters, digits and `_.-~` kept (and `/` when asked), the rest %-encoded.
    static func quote(_ text: String, keepingSlash: Bool) -> String {
        var allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
        if keepingSlash { allowed.insert("/") }
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased()
            && a.port == b.port
    }

    /// The hexadecimal SHA-256 of a file (``DriftCore/FileSHA256``).
    static func sha256(of file: URL) throws -> String {
        try FileSHA256.hexDigest(of: file)
    }
}
