import Foundation
import Testing

@testable import DriftCore

@Suite struct ScratchFileTests {
    private func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func namesCarryThisProcessID() {
        let pid = getpid()
        #expect(ScratchFile.processID(in: ScratchFile.stagingName()) == pid)
        #expect(ScratchFile.processID(in: ScratchFile.temporaryName(for: "hidden_a.npy")) == pid)
        #expect(ScratchFile.processID(in: "hidden_a.npy") == nil)
        #expect(ScratchFile.processID(in: ".staging-\(UUID().uuidString)") == nil)
    }

    /// A scratch entry of a process that is gone is removed; this process's own, other files and young entries of
    /// the old format stay.
    @Test func removesOnlyAbandonedEntries() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A process id that cannot be running: larger than Linux's pid_max limit (4,194,304).
        let deadPID = 99_999_999
        let dead = [
            ".staging-\(deadPID)-\(UUID().uuidString)",
            ".tables.csv.\(deadPID)-\(UUID().uuidString).tmp",
        ]
        let alive = [ScratchFile.stagingName(), ScratchFile.temporaryName(for: "x.npy")]
        let oldFormatYoung = ".staging-\(UUID().uuidString)"
        let oldFormatOld = ".report.html.\(UUID().uuidString).tmp"
        let ordinary = ["embeddings_a.npy", ".hidden"]
        for name in dead + alive + [oldFormatYoung, oldFormatOld] + ordinary {
            try Data("x".utf8).write(to: folder.appendingPathComponent(name))
        }
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -2 * 24 * 3600)],
            ofItemAtPath: folder.appendingPathComponent(oldFormatOld).path)

        let removed = ScratchFile.removeAbandoned(in: folder)

        #expect(removed == (dead + [oldFormatOld]).sorted())
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(left == Set(alive + [oldFormatYoung] + ordinary))
    }
}
