import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Hub id syntax, bare ids versus local folders, and the environment variables huggingface_hub reads.
@Suite struct HubReferenceTests {
    @Test func parsesIdsAndRevisions() throws {
        let plain = try HubModelID(parsing: "meta-llama/Llama-3.2-1B")
        #expect(plain.repository == "meta-llama/Llama-3.2-1B" && plain.revision == "main")
        #expect(plain.cacheFolderName == "models--meta-llama--Llama-3.2-1B")
        let revision = try HubModelID(parsing: "allenai/OLMo-1B-hf#step20000-tokens84B")
        #expect(revision.revision == "step20000-tokens84B")
        #expect(revision.description == "allenai/OLMo-1B-hf#step20000-tokens84B")
        #expect(try HubModelID(parsing: "org/model#refs/pr/1").revision == "refs/pr/1")
        #expect(try HubModelID(parsing: "gpt2").cacheFolderName == "models--gpt2")
        let commit = String(repeating: "a1", count: 20)
        #expect(try HubModelID(parsing: "org/model#\(commit)").isCommitHash)
        #expect(!(try HubModelID(parsing: "org/model#main").isCommitHash))
        for bad in [
            "", "a/b/c", "-org/model", "org/model-", "org--x/model", "org/mo..del", "org/model.git", "org/mo del",
            "org/model#", "org/model#../x", "org/model#/abs", String(repeating: "x", count: 97),
        ] {
            #expect(throws: DriftError.self, "\(bad)") { try HubModelID(parsing: bad) }
        }
        #expect(HubModelID.looksLikeHubID("org/model#v1"))
        #expect(!HubModelID.looksLikeHubID("model"))
        #expect(!HubModelID.looksLikeHubID("a/b/c"))
    }

    @Test func headersAndURLsAreReadAsHuggingFaceHubDoes() throws {
        // `_normalize_etag`: `etag.lstrip("W/").strip('"')`.
        #expect(HubResolver.normalizedETag("W/\"abc123\"") == "abc123")
        #expect(HubResolver.normalizedETag("\"abc123\"") == "abc123")
        #expect(HubResolver.normalizedETag(nil) == nil)
        #expect(HubResolver.isSafeETag("118b507672ec34ca183ef70b7806733d10a1a926de1b7412e0d32b04b24e12fb"))
        #expect(!HubResolver.isSafeETag("..") && !HubResolver.isSafeETag("a/b") && !HubResolver.isSafeETag(""))
        // `hf_hub_url`: `quote(revision, safe="")`, `quote(filename)`.
        #expect(HubResolver.quote("refs/pr/1", keepingSlash: false) == "refs%2Fpr%2F1")
        #expect(
            HubResolver.quote("sub dir/model-00001.safetensors", keepingSlash: true)
                == "sub%20dir/model-00001.safetensors")
        let hub = try #require(URL(string: "http://127.0.0.1:8/a"))
        #expect(HubResolver.sameOrigin(hub, try #require(URL(string: "http://127.0.0.1:8/b?x"))))
        #expect(!HubResolver.sameOrigin(hub, try #require(URL(string: "http://localhost:8/a"))))
    }

    @Test func hubReferencesKeepTheSchemeApart() throws {
        let cache = try HubDownloadTests.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let offline = HubResolver(environment: HubEnvironment(cacheDirectory: cache, offline: true))
        // hf:<id>#<revision>@<scheme>: the id and revision reach the resolver, the scheme is checked first.
        let error = try HubDownloadTests.error {
            _ = try ModelReference(parsing: "hf:google/gemma-3-270m#main@nf4", hub: offline)
        }
        #expect(error.kind == .missing)
        #expect(error.message.contains("google/gemma-3-270m is not in the Hugging Face cache"))
        #expect(error.message.contains("run once without --offline"))
        let scheme = try HubDownloadTests.error {
            _ = try ModelReference(parsing: "hf:google/gemma-3-270m@q3", hub: offline)
        }
        #expect(scheme.kind == .invalidArgument && scheme.message.contains("unknown quantization scheme '@q3'"))
        let id = try HubDownloadTests.error { _ = try ModelReference(parsing: "hf:google/gemma 3", hub: offline) }
        #expect(id.kind == .invalidArgument && id.message.contains("not a Hugging Face Hub model id"))
        // A bare owner/name that is not a local path is a hub id, and the error says both.
        let bare = try HubDownloadTests.error {
            _ = try ModelReference(parsing: "google/gemma-3-270m@nf4", hub: offline)
        }
        #expect(bare.message.contains("no local file or folder 'google/gemma-3-270m', and as a Hugging Face Hub id"))
        // Paths that cannot be hub ids stay local-path errors.
        let local = try HubDownloadTests.error { _ = try ModelReference(parsing: "./google/gemma", hub: offline) }
        #expect(local.message.contains("no model here"))
    }

    @Test func aLocalFolderWinsOverAHubId() throws {
        // `swift test` runs in the package root, where `Tests/DriftModelsTests` is a folder shaped like owner/name.
        let relative = "Tests/DriftModelsTests"
        try #require(FileManager.default.fileExists(atPath: relative))
        let cache = try HubDownloadTests.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        // The resolver would fail (offline, empty cache): a local folder never reaches it.
        let offline = HubResolver(environment: HubEnvironment(cacheDirectory: cache, offline: true))
        let reference = try ModelReference(parsing: relative + "@nf4", hub: offline)
        #expect(reference == ModelReference(path: relative, kind: .checkpointFolder, scheme: .nf4))
        #expect(reference.hub == nil)
        #expect(throws: DriftError.self) { try ModelReference(parsing: "hf:" + relative, hub: offline) }
    }

    @Test func readsTheEnvironmentAsHuggingFaceHubDoes() throws {
        let home = try HubDownloadTests.temporaryCache()
        defer { try? FileManager.default.removeItem(at: home) }
        let defaults = HubEnvironment(variables: ["HOME": home.path])
        #expect(defaults.cacheDirectory.path == home.path + "/.cache/huggingface/hub")
        #expect(defaults.endpoint == "https://huggingface.co")
        #expect(defaults.token == nil && !defaults.offline)
        #expect(
            HubEnvironment(variables: ["HOME": home.path, "XDG_CACHE_HOME": "/x"]).cacheDirectory.path
                == "/x/huggingface/hub")
        #expect(HubEnvironment(variables: ["HOME": home.path, "HF_HOME": "/h"]).cacheDirectory.path == "/h/hub")
        #expect(
            HubEnvironment(variables: ["HOME": home.path, "HF_HOME": "/h", "HF_HUB_CACHE": "/c"]).cacheDirectory.path
                == "/c")
        #expect(
            HubEnvironment(variables: ["HOME": home.path, "HF_ENDPOINT": "http://mirror:8080/"]).endpoint
                == "http://mirror:8080")
        for value in ["1", "true", "YES", "on"] {
            #expect(HubEnvironment(variables: ["HOME": home.path, "HF_HUB_OFFLINE": value]).offline)
        }
        #expect(!HubEnvironment(variables: ["HOME": home.path, "HF_HUB_OFFLINE": "0"]).offline)

        // The token: HF_TOKEN, else the file HF_TOKEN_PATH, else $HF_HOME/token; never in the description.
        let hfHome = home.appendingPathComponent("hf")
        try FileManager.default.createDirectory(at: hfHome, withIntermediateDirectories: true)
        try "hf_fromHOMEfile\n".write(to: hfHome.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        try "  hf_fromPATHfile  \n".write(to: home.appendingPathComponent("t"), atomically: true, encoding: .utf8)
        let fromHome = HubEnvironment(variables: ["HOME": home.path, "HF_HOME": hfHome.path])
        #expect(fromHome.token == "hf_fromHOMEfile")
        #expect(
            HubEnvironment(variables: ["HOME": home.path, "HF_HOME": hfHome.path, "HF_TOKEN_PATH": home.path + "/t"])
                .token
                == "hf_fromPATHfile")
        let fromVariable = HubEnvironment(variables: ["HOME": home.path, "HF_HOME": hfHome.path, "HF_TOKEN": "hf_VAR"])
        #expect(fromVariable.token == "hf_VAR")
        #expect(!fromVariable.description.contains("hf_VAR") && fromVariable.description.contains("token set"))
    }
}
