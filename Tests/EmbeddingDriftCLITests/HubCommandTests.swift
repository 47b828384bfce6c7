import DriftCore
import Foundation
import TestSupport
import Testing

/// Hub ids on the command line: `inspect` and `tokenize` read a cache written by huggingface_hub, offline; errors
/// are one line that says what to do.
@Suite struct HubCommandTests {
    /// A copy of `DriftModelsTests/Fixtures/hub/hf-cache` (written by huggingface_hub), removed by the caller.
    static func cacheCopy() throws -> URL {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DriftModelsTests/Fixtures/hub/hf-cache")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("hub-cli-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: copy)
        return copy
    }

    @Test func inspectAndTokenizeAHubModelOffline() throws {
        let cache = try Self.cacheCopy()
        defer { try? FileManager.default.removeItem(at: cache) }
        let environment = ["HF_HUB_CACHE": cache.path, "HF_ENDPOINT": "http://127.0.0.1:9", "HF_TOKEN": "hf_cliSECRET"]
        let inspect = try ExecutableRunner.run(
            ["inspect", "hf:tiny-org/tiny-llama@nf4", "--offline", "--json"], environment: environment)
        #expect(inspect.status == 0, "\(inspect.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        #expect(summary["architecture"] as? String == "llama")
        #expect(
            (summary["path"] as? String)?.hasSuffix(
                "models--tiny-org--tiny-llama/snapshots/4df994def9a5bad266fcbd092b0189405579d077") == true)
        #expect(summary["scheme"] as? String == "nf4")

        // A bare owner/name, with HF_HUB_OFFLINE instead of --offline, gives the folder's tokens.
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DriftModelsTests/Fixtures/models/llama")
        let fromHub = try ExecutableRunner.run(
            ["tokenize", "tiny-org/tiny-llama", "--text", "The concept of justice is"],
            environment: environment.merging(["HF_HUB_OFFLINE": "1"]) { $1 })
        let fromFolder = try ExecutableRunner.run(["tokenize", folder.path, "--text", "The concept of justice is"])
        #expect(fromHub.status == 0, "\(fromHub.stderr)")
        #expect(fromHub.stdout == fromFolder.stdout && !fromHub.stdout.isEmpty)
        #expect(!(inspect.stdout + inspect.stderr + fromHub.stdout + fromHub.stderr).contains("hf_cliSECRET"))
    }

    @Test func missingAndUnreachableModelsAreOneLineErrors() throws {
        let cache = try Self.cacheCopy()
        defer { try? FileManager.default.removeItem(at: cache) }
        let environment = ["HF_HUB_CACHE": cache.path, "HF_ENDPOINT": "http://127.0.0.1:9", "HF_TOKEN": "hf_cliSECRET"]
        let offline = try ExecutableRunner.run(["inspect", "hf:tiny-org/other", "--offline"], environment: environment)
        #expect(offline.status == 1)
        #expect(offline.stderr.hasPrefix("error: ") && offline.stderr.split(separator: "\n").count == 1)
        #expect(offline.stderr.contains("tiny-org/other is not in the Hugging Face cache"))
        #expect(offline.stderr.contains("run once without --offline"))

        let unreachable = try ExecutableRunner.run(["inspect", "hf:tiny-org/other"], environment: environment)
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.split(separator: "\n").count == 1)
        #expect(unreachable.stderr.contains("cannot reach the Hugging Face Hub at http://127.0.0.1:9"))
        #expect(unreachable.stderr.contains("--offline"))
        #expect(!(offline.stderr + unreachable.stderr).contains("hf_cliSECRET"))

        // The Hub unreachable but the model cached: used, with a note.
        let cached = try ExecutableRunner.run(["inspect", "hf:tiny-org/tiny-llama"], environment: environment)
        #expect(cached.status == 0, "\(cached.stderr)")
        #expect(cached.stderr.contains("using the cached copy of tiny-org/tiny-llama"))
    }

    /// `extract` and `compare` on a hub id give the same vectors as on the folder the repository was made from.
    @Test func extractAndCompareAHubModel() throws {
        let cache = try Self.cacheCopy()
        defer { try? FileManager.default.removeItem(at: cache) }
        let folder = try ExtractTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["HF_HUB_CACHE": cache.path, "HF_ENDPOINT": "http://127.0.0.1:9"]
        let vocabulary = try PipelineTests.vocabulary(in: folder)
        let fromHub = folder.appendingPathComponent("hub")
        let fromFolder = folder.appendingPathComponent("folder")
        let hub = try ExecutableRunner.run(
            [
                "extract", "hf:tiny-org/tiny-llama", "--offline", "--vocab", vocabulary.url.path, "--out", fromHub.path,
                "--quiet",
            ],
            environment: environment)
        #expect(hub.status == 0, "\(hub.stderr)")
        let local = try ExecutableRunner.run([
            "extract", ExtractTests.checkpoint("llama").path, "--name", "tiny-llama", "--vocab", vocabulary.url.path,
            "--out", fromFolder.path, "--quiet",
        ])
        #expect(local.status == 0, "\(local.stderr)")
        // The default variant name is the repository's name; the vectors are bit for bit the folder's.
        let hubArray = try NumpyArray(contentsOf: fromHub.appendingPathComponent("hidden_tiny-llama.npy"))
        let folderArray = try NumpyArray(contentsOf: fromFolder.appendingPathComponent("hidden_tiny-llama.npy"))
        #expect(hubArray.shape == folderArray.shape)
        #expect(hubArray.floatValues() == folderArray.floatValues())
        let manifest = try PipelineTests.manifest(fromHub)
        let variant = try #require((manifest["variants"] as? [[String: Any]])?.first)
        #expect((variant["model"] as? String)?.contains("models--tiny-org--tiny-llama/snapshots/") == true)
        // Where the model came from, so that another machine can fetch the same commit.
        let commit = "4df994def9a5bad266fcbd092b0189405579d077"
        let origin = ["id": "tiny-org/tiny-llama", "revision": "main", "commit": commit]
        #expect(variant["hub"] as? [String: String] == origin)

        let run = folder.appendingPathComponent("compare")
        let compare = try ExecutableRunner.run(
            [
                "compare", "base=hf:tiny-org/tiny-llama", "q8=tiny-org/tiny-llama@q8_0", "--offline", "--vocab",
                vocabulary.url.path, "--out", run.path, "--quiet",
            ] + PipelineTests.fast,
            environment: environment)
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("tables/global.csv").path))
        let variants = try #require(try PipelineTests.manifest(run)["variants"] as? [[String: Any]])
        #expect(variants.count == 2)
        for variant in variants {
            #expect(variant["hub"] as? [String: String] == origin, "\(variant["name"] ?? "")")
        }
    }
}
