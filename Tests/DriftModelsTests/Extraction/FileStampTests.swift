import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// A loaded model notices when its files change on disk (its weights are read in place): rewritten, touched,
/// replaced or removed.
@Suite struct FileStampTests {
    static func copy(_ source: URL) throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent(
            "stamp-\(UUID())-\(source.lastPathComponent)")
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }

    @Test func checkpointFolderChangesAreNoticed() throws {
        let folder = try Self.copy(try ModelFixture("llama").folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = try LoadedCheckpoint.load(folder.path)
        #expect(
            checkpoint.fileStamps.map { URL(fileURLWithPath: $0.path).lastPathComponent }.contains("model.safetensors"))
        try checkpoint.checkFilesUnchanged()
        // Touched: same bytes, a new modification time.
        let weights = folder.appendingPathComponent("model.safetensors")
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1)], ofItemAtPath: weights.path)
        let error = #expect(throws: DriftError.self) { try checkpoint.checkFilesUnchanged() }
        #expect(error?.description.contains("changed on disk") == true)
        #expect(error?.description.contains(weights.path) == true)
    }

    @Test func ggufReplacedOrRemovedIsNoticed() throws {
        let file = try Self.copy(URL(fileURLWithPath: try GGUFModelParityTests.ggufPath("llama-f32.gguf")))
        defer { try? FileManager.default.removeItem(at: file) }
        let checkpoint = try LoadedCheckpoint.load(file.path)
        #expect(checkpoint.fileStamps.map(\.path) == [file.path])
        try checkpoint.checkFilesUnchanged()
        // Replaced by a copy of itself under the same name (a new inode, as a download that renames into place).
        let replacement = try Self.copy(file)
        #expect(rename(replacement.path, file.path) == 0)
        #expect(throws: DriftError.self) { try checkpoint.checkFilesUnchanged() }
        try FileManager.default.removeItem(at: file)
        let gone = #expect(throws: DriftError.self) { try checkpoint.checkFilesUnchanged() }
        #expect(gone?.description.contains("gone") == true)
    }
}
