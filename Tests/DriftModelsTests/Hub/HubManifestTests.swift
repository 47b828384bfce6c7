import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// The run manifest records where a Hub model came from — repository, revision asked and commit resolved — beside
/// the local snapshot path (`model`, which live mode reloads from).
@Suite struct HubManifestTests {
    static func entry(for reference: ModelReference, in folder: URL) throws -> RunManifest.Variant {
        var record = ExtractionWriterTests.record("variant")
        record.modelPath = reference.path
        record.hub = reference.hubOrigin
        let out = folder.appendingPathComponent(UUID().uuidString)
        try ExtractionWriter.write(try ExtractionWriterTests.makeSet(), record: record, to: out)
        let manifest = try #require(try RunManifest.read(in: out))
        return try #require(manifest.variants.first)
    }

    @Test(arguments: ["hf:tiny-org/tiny-llama", "tiny-org/tiny-llama#v1.0@q8_0"])
    func recordsTheRepositoryRevisionAndCommit(text: String) throws {
        let server = try MockHubServer()
        let cache = try HubDownloadTests.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let reference = try ModelReference(parsing: text, hub: HubDownloadTests.resolver(server, cache: cache))
        let revision = text.contains("#v1.0") ? "v1.0" : "main"
        let commit = try #require(server.revisions[revision])
        let entry = try Self.entry(for: reference, in: cache)
        #expect(entry.model == reference.path)
        #expect(
            entry.hub == ["id": "tiny-org/tiny-llama", "revision": revision, "commit": commit])
        // The fingerprint hashes the files, not where they came from.
        var local = ExtractionWriterTests.record("variant")
        local.modelPath = reference.path
        #expect(entry.fingerprint == local.fingerprint(vocabulary: ExtractorTests.vocabulary))
    }

    @Test func aLocalModelHasNoHubEntry() throws {
        let folder = try HubDownloadTests.temporaryCache()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reference = try ModelReference(parsing: HubDownloadTests.fixtureModel().path)
        #expect(reference.hubOrigin == nil)
        let entry = try Self.entry(for: reference, in: folder)
        #expect(entry.hub == nil)
        #expect(entry.model == reference.path)
    }
}
