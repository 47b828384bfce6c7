import Foundation
import Testing

@testable import DriftCore

@Suite struct RunManifestTests {
    private func folder(with manifest: String?) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if let manifest { try Data(manifest.utf8).write(to: url.appendingPathComponent(RunManifest.fileName)) }
        return url
    }

    @Test func absentManifestIsNil() throws {
        let url = try folder(with: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try RunManifest.read(in: url) == nil)
    }

    @Test func validManifestIsReturnedWhole() throws {
        let url = try folder(
            with: #"{"format": "embedding-drift-run", "format_version": 1, "variants": [{"name": "a"}], "x": 2}"#)
        defer { try? FileManager.default.removeItem(at: url) }
        let object = try #require(try RunManifest.read(in: url))
        #expect(object["x"] as? Int == 2)
        #expect((object["variants"] as? [[String: Any]])?.first?["name"] as? String == "a")
    }

    /// Each bad manifest is refused with a message naming what is wrong and the file.
    @Test(arguments: [
        (#"[1, 2]"#, "not a JSON object"),
        (#"{"format_version": 1}"#, "format missing"),
        (#"{"format": "other", "format_version": 1}"#, "format \"other\""),
        (#"{"format": "embedding-drift-run"}"#, "no valid \"format_version\""),
        (#"{"format": "embedding-drift-run", "format_version": 2}"#, "use a newer embedding-drift"),
        (#"{"format": "embedding-drift-run", "format_version": 1, "variants": {}}"#, "not a list of objects"),
    ])
    func badManifestsAreRefused(text: String, message: String) throws {
        let url = try folder(with: text)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: DriftError.self) { try RunManifest.read(in: url) }
        #expect(error.description.contains(message), "\(error.description)")
        #expect(error.description.contains(RunManifest.fileName))
    }
}
