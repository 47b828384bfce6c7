package import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Names for the hidden scratch files and folders that atomic writes go through, and the clean-up of ones a killed
/// process left behind.
///
/// Every scratch name carries the writing process's id (`.staging-<pid>-<uuid>`, `.<file>.<pid>-<uuid>.tmp`), so a
/// later run can tell an abandoned scratch entry (its process is gone) from one another live process is writing.
package enum ScratchFile {
    /// A fresh staging-folder name for this process.
    package static func stagingName() -> String {
        ".staging-\(getpid())-\(UUID().uuidString)"
    }

    /// A fresh temporary-file name for this process, next to the final file `name`.
    package static func temporaryName(for name: String) -> String {
        ".\(name).\(getpid())-\(UUID().uuidString).tmp"
    }

    /// Removes scratch entries directly inside `folder` whose writing process no longer runs.
    ///
    /// Entries in the older format without a process id are removed once they are a day old. Errors are ignored: this
    /// is housekeeping.
    ///
    /// - Returns: the names removed.
    @discardableResult
    package static func removeAbandoned(in folder: URL, now: Date = Date()) -> [String] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { return [] }
        var removed: [String] = []
        for name in names where isScratch(name) {
            let url = folder.appendingPathComponent(name)
            let abandoned: Bool
            if let pid = processID(in: name) {
                abandoned = pid != getpid() && !isRunning(pid)
            } else {
                let modified =
                    (try? manager.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now
                abandoned = now.timeIntervalSince(modified) > 24 * 3600
            }
            if abandoned, (try? manager.removeItem(at: url)) != nil { removed.append(name) }
        }
        return removed.sorted()
    }

    static func isScratch(_ name: String) -> Bool {
        name.hasPrefix(".staging-") || (name.hasPrefix(".") && name.hasSuffix(".tmp"))
    }

    /// The process id written into a scratch name by this type, or nil for other names.
    static func processID(in name: String) -> Int32? {
        let body: Substring
        if name.hasPrefix(".staging-") {
            body = name.dropFirst(".staging-".count)
        } else if name.hasSuffix(".tmp"), let lastDot = name.dropLast(4).lastIndex(of: ".") {
            body = name[name.index(after: lastDot)..<name.index(name.endIndex, offsetBy: -4)]
        } else {
            return nil
        }
        // "<pid>-<uuid>": a UUID has five dash-separated groups, so a pid-bearing body has six.
        let parts = body.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 6, let pid = Int32(parts[0]), pid > 0 else { return nil }
        return pid
    }

    private static func isRunning(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
