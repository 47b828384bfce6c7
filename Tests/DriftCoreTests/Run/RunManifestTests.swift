import Foundation
import Testing

@testable import DriftCore

@Suite struct RunManifestTests {
    private func folder(with manifest: String?) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        if let manifest { try Data(manifest.utf8).write(to: url.appendingPathComponent(RunLayout.manifestFileName)) }
        return url
    }

    @Test func absentManifestIsNil() throws {
        let url = try folder(with: nil)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try RunManifest.read(in: url) == nil)
    }

    @Test func validManifestIsReadWholeAndUnknownKeysSurviveARewrite() throws {
        let url = try folder(
            with: #"""
                {"format": "embedding-drift-run", "format_version": 1, "x": 2,
                 "variants": [{"name": "a", "layers": [0, 2], "hidden_size": 8, "concept_count": 3}]}
                """#)
        defer { try? FileManager.default.removeItem(at: url) }
        let manifest = try #require(try RunManifest.read(in: url))
        #expect(manifest.otherKeys["x"] == .integer(2))
        #expect(manifest.variants.first?.name == "a")
        #expect(manifest.variants.first?.layers == [0, 2])
        #expect(manifest.order == ["a"])
        try RunManifest.update(in: url) { $0.variantOrder = ["a"] }
        let again = try #require(try RunManifest.read(in: url))
        #expect(again.otherKeys["x"] == .integer(2))
        #expect(again.variantOrder == ["a"])
        #expect(again.variants == manifest.variants)
    }

    /// A malformed entry is refused in one line naming the file, the entry and the field.
    @Test(arguments: [
        (
            #""variants": [{"name": "a", "layers": [0], "hidden_size": "8", "concept_count": 3}]"#,
            #"variants[0] ("a").hidden_size: expected an integer, found the string "8""#
        ),
        (
            #""variants": [{"name": "a", "layers": [0], "hidden_size": 8}]"#,
            #"variants[0] ("a").concept_count is missing"#
        ),
        (#""analysis": {"headline_layer": 2, "settings": {"k": 10}}"#, "analysis.settings.bootstrap is missing"),
        (#""variants": {}"#, "variants: expected a list, found an object"),
        (#""variant_order": ["a", 3]"#, "variant_order[1]: expected a string, found the number 3"),
    ])
    func malformedFieldsAreNamed(fields: String, message: String) throws {
        let url = try folder(with: #"{"format": "embedding-drift-run", "format_version": 1, "# + fields + "}")
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: DriftError.self) { try RunManifest.read(in: url) }
        #expect(error.description.contains(message), "\(error.description)")
        #expect(error.description.contains(RunLayout.manifestFileName))
        #expect(!error.description.contains("\n"))
    }

    /// Each bad manifest is refused with a message naming what is wrong and the file.
    @Test(arguments: [
        (#"[1, 2]"#, "not a JSON object"),
        (#"{"format_version": 1}"#, "format missing"),
        (#"{"format": "other", "format_version": 1}"#, "format \"other\""),
        (#"{"format": "embedding-drift-run"}"#, "no valid \"format_version\""),
        (#"{"format": "embedding-drift-run", "format_version": 2}"#, "use a newer embedding-drift"),
        (#"{"format": "embedding-drift-run", "format_version": 1, "vari"#, "not valid JSON (truncated"),
    ])
    func badManifestsAreRefused(text: String, message: String) throws {
        let url = try folder(with: text)
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: DriftError.self) { try RunManifest.read(in: url) }
        #expect(error.description.contains(message), "\(error.description)")
        #expect(error.description.contains(RunLayout.manifestFileName))
    }

    /// The migration steps run in order, each one version up, and a missing step is refused by name.
    @Test func migrationStepsRunInOrder() throws {
        let steps: [Int: @Sendable ([String: Any]) throws -> [String: Any]] = [
            1: { object in
                var object = object
                object["order"] = object["variant_order"]
                object["variant_order"] = nil
                return object
            },
            2: { object in
                var object = object
                object["steps"] = ((object["steps"] as? Int) ?? 0) + 1
                return object
            },
        ]
        let old: [String: Any] = ["format": RunManifest.format, "format_version": 1, "variant_order": ["a"]]
        let migrated = try RunManifest.migrate(old, from: 1, to: 3, path: "m.json", steps: steps)
        #expect(migrated["format_version"] as? Int == 3)
        #expect(migrated["order"] as? [String] == ["a"] && migrated["variant_order"] == nil)
        #expect(migrated["steps"] as? Int == 1)
        let error = try #require(throws: DriftError.self) {
            try RunManifest.migrate(old, from: 1, to: 4, path: "m.json", steps: steps)
        }
        #expect(error.description == "m.json: no migration from manifest format version 3 to 4")
        // Today's version needs no step.
        #expect(try RunManifest.migrate(old, from: 1, path: "m.json").count == old.count)
    }

    /// A `last_run` of an early version-1 manifest (before noise floors and recorded settings) still reads.
    @Test func anEarlyLastRunReads() throws {
        let url = try folder(
            with: #"""
                {"format": "embedding-drift-run", "format_version": 1,
                 "last_run": {"command": "compare", "extracted": ["a"], "reused": [], "extraction_seconds": 1.5,
                              "finished_at": "2026-11-25T15:30:00Z"}}
                """#)
        defer { try? FileManager.default.removeItem(at: url) }
        let lastRun = try #require(try RunManifest.read(in: url)?.lastRun)
        #expect(lastRun.extracted == ["a"] && lastRun.settings == nil && lastRun.noiseTemplates == nil)
    }
}
