import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Download, resume, offline mode, access errors and corrupt downloads against ``MockHubServer``.
@Suite struct HubDownloadTests {
    static let token = "hf_testSECRETtoken123"
    static let modelFiles = ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"]

    /// Collects progress reports from any thread.
    final class Events: @unchecked Sendable {
        // Safe to share: `list` is only touched while holding `lock`.
        private let lock = NSLock()
        private var list: [HubProgress] = []
        var all: [HubProgress] { lock.withLock { list } }
        func add(_ event: HubProgress) { lock.withLock { list.append(event) } }
    }

    static func temporaryCache() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hub-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func resolver(
        _ server: MockHubServer, cache: URL, token: String? = token, offline: Bool = false, events: Events? = nil
    ) -> HubResolver {
        var progress: (@Sendable (HubProgress) -> Void)?
        if let events { progress = { events.add($0) } }
        var resolver = HubResolver(
            environment: HubEnvironment(
                cacheDirectory: cache, endpoint: server.endpoint, token: token, offline: offline),
            progress: progress)
        resolver.retryPolicy.sleep = { _ in }
        return resolver
    }

    static func error(_ body: () throws -> Void) throws -> DriftError {
        do {
            try body()
        } catch let error as DriftError {
            return error
        }
        Issue.record("expected a DriftError")
        throw MockError("no error")
    }

    static func snapshotFiles(_ folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    static func fixtureModel() throws -> URL {
        MockHubServer.fixtures.deletingLastPathComponent().appendingPathComponent("models/llama")
    }

    @Test func downloadsOnlyTheNeededFiles() throws {
        let server = try MockHubServer()
        // `Scripts/fixtures/hub.py check-swift` keeps this cache to check it with huggingface_hub.
        let kept = ProcessInfo.processInfo.environment["EMBEDDING_DRIFT_KEEP_HUB_CACHE"]
        let cache =
            try kept.map { path -> URL in
                let url = URL(fileURLWithPath: path, isDirectory: true)
                try? FileManager.default.removeItem(at: url)
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                return url
            } ?? Self.temporaryCache()
        defer { if kept == nil { try? FileManager.default.removeItem(at: cache) } }
        let events = Events()
        let reference = try ModelReference(
            parsing: "hf:tiny-org/tiny-llama@nf4", hub: Self.resolver(server, cache: cache, events: events))

        let storage = cache.appendingPathComponent("models--tiny-org--tiny-llama")
        let snapshot = storage.appendingPathComponent("snapshots/\(server.commit)")
        #expect(reference.path == snapshot.path)
        #expect(reference.kind == .checkpointFolder)
        #expect(reference.scheme == .nf4)
        #expect(reference.hub == (try HubModelID(repository: "tiny-org/tiny-llama")))
        #expect(reference.defaultVariantName == "tiny-llama-nf4")
        #expect(reference.description == "hf:tiny-org/tiny-llama@nf4")
        #expect(try String(contentsOf: storage.appendingPathComponent("refs/main"), encoding: .utf8) == server.commit)
        #expect(try Self.snapshotFiles(snapshot) == Self.modelFiles)
        for name in Self.modelFiles {
            let file = try #require(server.file(name))
            let etag = file.lfs ? file.sha256 : file.gitSHA1
            let link = try FileManager.default.destinationOfSymbolicLink(
                atPath: snapshot.appendingPathComponent(name).path)
            #expect(link == "../../blobs/\(etag)")
            #expect(try Data(contentsOf: storage.appendingPathComponent("blobs/\(etag)")) == file.data)
        }
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: storage.appendingPathComponent("blobs").path)
                .allSatisfy { !$0.hasSuffix(".incomplete") })
        // The same model files as the fixture folder the repository was made from.
        #expect(try ModelFiles.inspect(snapshot).hash == ModelFiles.inspect(Self.fixtureModel()).hash)

        let requests = server.requests
        let asked = Set(requests.map(\.path))
        for decoy in ["pytorch_model.bin", "onnx/model.onnx", "generation_config.json", "README.md"] {
            #expect(!asked.contains { $0.hasSuffix("/" + decoy) }, "downloaded \(decoy)")
        }
        // The token goes to the Hub's origin only, never to the CDN a redirect points at.
        let cdn = requests.filter { $0.path.hasPrefix("/cdn/") }
        #expect(cdn.count == 1)
        #expect(cdn.allSatisfy { $0.headers["authorization"] == nil })
        #expect(cdn.allSatisfy { $0.headers["host"]?.hasPrefix("localhost") == true })
        let hub = requests.filter { !$0.path.hasPrefix("/cdn/") }
        #expect(!hub.isEmpty && hub.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.token)" })
        #expect(requests.filter { $0.method == "HEAD" }.allSatisfy { $0.headers["accept-encoding"] == "identity" })
        #expect(requests.first?.path == "/api/models/tiny-org/tiny-llama/revision/main")

        let size = Int64(try #require(server.file("model.safetensors")).data.count)
        let last = events.all.last {
            if case .downloading(file: "model.safetensors", _, _) = $0 { true } else { false }
        }
        #expect(last == .downloading(file: "model.safetensors", bytes: size, total: size))
        #expect(events.all.first == .listing(repository: "tiny-org/tiny-llama", revision: "main"))
        #expect(
            events.all.filter { if case .verifying = $0 { true } else { false } } == [
                .verifying(file: "model.safetensors")
            ])

        // A second resolution asks only for the listing: every file is in the snapshot.
        let before = server.requests.count
        _ = try Self.resolver(server, cache: cache).snapshot(for: HubModelID(repository: "tiny-org/tiny-llama"))
        #expect(server.requests.count == before + 1)
        // A commit hash with a complete snapshot needs no request at all.
        _ = try Self.resolver(server, cache: cache).snapshot(
            for: HubModelID(repository: "tiny-org/tiny-llama", revision: server.commit))
        #expect(server.requests.count == before + 1)
    }

    @Test func resumesAfterACutConnection() throws {
        let server = try MockHubServer()
        let cache = try Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        server.cutAfter = ["model.safetensors": 50_000]
        let folder = try Self.resolver(server, cache: cache).snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama"))
        let file = try #require(server.file("model.safetensors"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("model.safetensors")) == file.data)
        let cdn = server.requests.filter { $0.path.hasPrefix("/cdn/") }
        #expect(cdn.count == 2)
        #expect(cdn.first?.headers["range"] == nil)
        #expect(cdn.last?.headers["range"] == "bytes=50000-")
    }

    @Test func resumesAnIncompleteFileFromAnEarlierRun() throws {
        let server = try MockHubServer()
        let cache = try Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let file = try #require(server.file("model.safetensors"))
        let blobs = cache.appendingPathComponent("models--tiny-org--tiny-llama/blobs")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        try file.data.prefix(100_000).write(to: blobs.appendingPathComponent(file.sha256 + ".incomplete"))
        let folder = try Self.resolver(server, cache: cache).snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("model.safetensors")) == file.data)
        let cdn = server.requests.filter { $0.path.hasPrefix("/cdn/") }
        #expect(cdn.map { $0.headers["range"] } == ["bytes=100000-"])
        #expect(!FileManager.default.fileExists(atPath: blobs.appendingPathComponent(file.sha256 + ".incomplete").path))
    }

    @Test func rejectsACorruptDownloadAndLeavesNothingInTheCache() throws {
        let server = try MockHubServer()
        let cache = try Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        server.corrupt = ["model.safetensors"]
        let resolver = Self.resolver(server, cache: cache)
        let error = try Self.error { _ = try resolver.snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama")) }
        #expect(error.kind == .corruptFile)
        #expect(error.message.contains("checksum mismatch for model.safetensors"))
        #expect(error.message.contains("run the command again"))
        #expect(error.description.split(whereSeparator: \.isNewline).count == 1)
        let file = try #require(server.file("model.safetensors"))
        let storage = cache.appendingPathComponent("models--tiny-org--tiny-llama")
        let blobs = try FileManager.default.contentsOfDirectory(atPath: storage.appendingPathComponent("blobs").path)
        #expect(!blobs.contains { $0.hasPrefix(file.sha256) })
        #expect(
            !FileManager.default.fileExists(
                atPath: storage.appendingPathComponent("snapshots/\(server.commit)/model.safetensors").path))
        // Run again with good bytes: it heals.
        server.corrupt = []
        let folder = try resolver.snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("model.safetensors")) == file.data)
    }

    @Test func offlineModeUsesTheCacheAndNeverTheNetwork() throws {
        let server = try MockHubServer()
        let cache = try Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let online = try Self.resolver(server, cache: cache).snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama"))
        let count = server.requests.count
        let offline = Self.resolver(server, cache: cache, offline: true)
        #expect(try offline.snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama")) == online)
        #expect(try offline.snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama#\(server.commit)")) == online)
        #expect(server.requests.count == count)

        // A revision never resolved online has no ref: say what to do.
        let error = try Self.error { _ = try offline.snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama#v1.0")) }
        #expect(error.kind == .missing)
        #expect(error.message.contains("is not in the Hugging Face cache"))
        #expect(error.message.contains("run once without --offline"))
        #expect(server.requests.count == count)

        // A missing file in the snapshot is named.
        try FileManager.default.removeItem(at: online.appendingPathComponent("model.safetensors"))
        let missing = try Self.error { _ = try offline.snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama")) }
        #expect(missing.message.contains("lacks"))
        #expect(missing.message.contains("*.safetensors"))
        #expect(server.requests.count == count)
    }

    @Test func unreachableHubFallsBackToACompleteCacheOrSaysWhatToDo() throws {
        let server = try MockHubServer()
        let cache = try Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let online = try Self.resolver(server, cache: cache).snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama"))
        server.stop()
        let events = Events()
        let resolver = Self.resolver(server, cache: cache, events: events)
        #expect(try resolver.snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama")) == online)
        #expect(events.all.contains { if case .usingCache = $0 { true } else { false } })

        let empty = try Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: empty) }
        let error = try Self.error {
            _ = try Self.resolver(server, cache: empty).snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama"))
        }
        #expect(error.kind == .network)
        #expect(error.message.contains("cannot reach the Hugging Face Hub at \(server.endpoint)"))
        #expect(error.message.contains("--offline"))
    }

    @Test func gatedPrivateAndMissingModelsSayWhatToDo() throws {
        let server = try MockHubServer()
        let cache = try Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let id = try HubModelID(parsing: "tiny-org/tiny-llama")
        server.access = .gated(token: "hf_acceptedTOKEN")

        let anonymous = try Self.error { _ = try Self.resolver(server, cache: cache, token: nil).snapshot(for: id) }
        #expect(anonymous.kind == .network)
        #expect(anonymous.message.contains("gated or private (HTTP 401)"))
        #expect(anonymous.message.contains("accept its licence on \(server.endpoint)/tiny-org/tiny-llama"))
        #expect(anonymous.message.contains("set HF_TOKEN"))

        let refused = try Self.error {
            _ = try Self.resolver(server, cache: cache, token: "hf_wrongSECRET").snapshot(for: id)
        }
        #expect(refused.message.contains("gated or private (HTTP 403)"))
        #expect(refused.message.contains("HF_TOKEN"))
        #expect(!refused.description.contains("hf_wrongSECRET"))

        _ = try Self.resolver(server, cache: cache, token: "hf_acceptedTOKEN").snapshot(for: id)

        server.access = .private(token: "hf_ownerTOKEN")
        let other = try Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: other) }
        let hidden = try Self.error { _ = try Self.resolver(server, cache: other, token: nil).snapshot(for: id) }
        #expect(hidden.message.contains("or it is private (HTTP 401)"))

        server.access = .open
        let unknown = try Self.error {
            _ = try Self.resolver(server, cache: other).snapshot(for: HubModelID(parsing: "tiny-org/no-such-model"))
        }
        #expect(unknown.kind == .missing)
        #expect(unknown.message.contains("no model tiny-org/no-such-model"))
        #expect(unknown.message.contains("HTTP 404"))
        let revision = try Self.error {
            _ = try Self.resolver(server, cache: other).snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama#nope"))
        }
        #expect(revision.message.contains("no revision 'nope' of tiny-org/tiny-llama"))
        for error in [anonymous, refused, hidden, unknown, revision] {
            #expect(!error.description.contains(Self.token))
            #expect(error.description.split(whereSeparator: \.isNewline).count == 1)
        }
    }

    @Test func readsACacheWrittenByHuggingFaceHub() throws {
        let cache = try Self.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let source = MockHubServer.fixtures.appendingPathComponent("hf-cache/models--tiny-org--tiny-llama")
        try FileManager.default.copyItem(at: source, to: cache.appendingPathComponent("models--tiny-org--tiny-llama"))
        let server = try MockHubServer()
        server.stop()
        let offline = Self.resolver(server, cache: cache, offline: true)
        let folder = try offline.snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama"))
        #expect(folder.lastPathComponent == server.commit)
        #expect(try Self.snapshotFiles(folder) == Self.modelFiles)
        #expect(try ModelFiles.inspect(folder).hash == ModelFiles.inspect(Self.fixtureModel()).hash)
        // Online with the Hub unreachable: the complete cached copy is used.
        #expect(
            try Self.resolver(server, cache: cache).snapshot(for: HubModelID(parsing: "tiny-org/tiny-llama")) == folder)
        // Through a model reference, as every command resolves models.
        let reference = try ModelReference(parsing: "tiny-org/tiny-llama@q8_0", hub: offline)
        #expect(reference.path == folder.path && reference.scheme == .q8_0)
    }
}
