import DriftCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The Hugging Face cache layout of one model repository, exactly as huggingface_hub writes and reads it.
///
/// ```
/// <cache>/models--<owner>--<name>/
///     refs/<revision>                 the commit hash the branch or tag pointed at (no newline)
///     blobs/<etag>                    file contents, named by ETag (sha256 for LFS files, git blob sha1 otherwise)
///     blobs/<etag>.incomplete         a download in progress (resumed from its length)
///     snapshots/<commit>/<file>       relative symlinks ../../blobs/<etag>
/// <cache>/.locks/models--<owner>--<name>/<etag>.lock
/// ```
struct HubCache: Sendable {
    /// The cache folder (`…/huggingface/hub`).
    var root: URL
    /// The repository.
    var id: HubModelID

    /// `models--owner--name`.
    var storage: URL { root.appendingPathComponent(id.cacheFolderName, isDirectory: true) }

    /// `refs/<revision>`.
    func refFile(_ revision: String) -> URL {
        storage.appendingPathComponent("refs").appendingPathComponent(revision)
    }

    /// `snapshots/<commit>`.
    func snapshot(_ commit: String) -> URL {
        storage.appendingPathComponent("snapshots").appendingPathComponent(commit, isDirectory: true)
    }

    /// `blobs/<etag>`.
    func blob(_ etag: String) -> URL {
        storage.appendingPathComponent("blobs").appendingPathComponent(etag)
    }

    /// `blobs/<etag>.incomplete`.
    func incompleteBlob(_ etag: String) -> URL {
        storage.appendingPathComponent("blobs").appendingPathComponent(etag + ".incomplete")
    }

    /// `.locks/models--owner--name/<etag>.lock`.
    func lockFile(_ etag: String) -> URL {
        root.appendingPathComponent(".locks").appendingPathComponent(id.cacheFolderName)
            .appendingPathComponent(etag + ".lock")
    }

    /// The commit a revision stands for locally: the revision itself when it is a commit hash, else the content of
    /// `refs/<revision>`, else nil.
    func commit(for revision: String) -> String? {
        if HubModelID.isCommitHash(revision) { return revision }
        guard let text = try? String(contentsOf: refFile(revision), encoding: .utf8) else { return nil }
        let commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return commit.isEmpty ? nil : commit
    }

    /// Records that `revision` points at `commit` (nothing when the revision is the commit or the ref is current).
    func writeRef(_ revision: String, commit: String) throws {
        guard revision != commit, self.commit(for: revision) != commit else { return }
        try AtomicFile.write(Data(commit.utf8), to: refFile(revision))
    }

    /// Whether `snapshots/<commit>/<file>` exists (following its symlink to a blob that exists).
    func hasFile(_ file: String, commit: String) -> Bool {
        FileManager.default.fileExists(atPath: snapshot(commit).appendingPathComponent(file).path)
    }

    /// Points `snapshots/<commit>/<file>` at `blobs/<etag>` with a relative symlink (`../../blobs/<etag>`, one more
    /// `../` per folder in `file`), replacing whatever was there.
    func link(_ file: String, commit: String, etag: String) throws {
        let pointer = snapshot(commit).appendingPathComponent(file)
        let depth = file.split(separator: "/").count - 1
        let target = String(repeating: "../", count: depth + 2) + "blobs/" + etag
        do {
            try FileManager.default.createDirectory(
                at: pointer.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = unlink(pointer.path)
            guard symlink(target, pointer.path) == 0 else {
                let reason = String(cString: strerror(errno))
                throw DriftError(.io, "cannot create the snapshot link: \(reason)", path: pointer.path)
            }
        } catch let error as DriftError {
            throw error
        } catch {
            throw DriftError(
                .io, "cannot create the snapshot folder: \(error.localizedDescription)", path: pointer.path)
        }
    }

    /// Writes `CACHEDIR.TAG` at the cache root when it is missing (as huggingface_hub does, so that backup tools
    /// skip the cache); best-effort.
    func tagCacheDirectory() {
        let tag = root.appendingPathComponent("CACHEDIR.TAG")
        guard !FileManager.default.fileExists(atPath: tag.path) else { return }
        let text = """
            Signature: 8a477f597d28d172789f06886806bc55
            # This file is a cache directory tag created by embedding-drift (huggingface_hub's cache layout).
            # For information about cache directory tags, see:
            #	https://bford.info/cachedir/

            """
        try? AtomicFile.write(Data(text.utf8), to: tag)
    }

    /// Runs `body` holding an exclusive `flock` on `.locks/…/<etag>.lock`, so that two processes never download the
    /// same blob into the same `.incomplete` file at once (the lock file stays, as huggingface_hub leaves it).
    func withLock<Result>(_ etag: String, _ body: () throws -> Result) throws -> Result {
        let lock = lockFile(etag)
        try? FileManager.default.createDirectory(
            at: lock.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(lock.path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw DriftError(.io, "cannot open the lock file: \(String(cString: strerror(errno)))", path: lock.path)
        }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else {
            throw DriftError(.io, "cannot lock: \(String(cString: strerror(errno)))", path: lock.path)
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
