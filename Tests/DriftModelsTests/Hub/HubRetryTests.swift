import DriftCore
import Foundation
import Testing

@testable import DriftModels

/// Retries of transient Hub failures against ``MockHubServer``, compared with huggingface_hub's `http_backoff`.
///
/// The reference is what `http_backoff` did in the same scenarios (`Fixtures/hub/retry.json`, written by `Scripts/fixtures/hub_retry.py`): the number of
/// requests, the waits in order, and which failures are never retried. No test sleeps: the waits are recorded.
@Suite struct HubRetryTests {
    /// Records the waits a resolver asks for.
    final class Waits: @unchecked Sendable {
        // Safe to share: `list` is only touched while holding `lock`.
        private let lock = NSLock()
        private var list: [Double] = []
        var all: [Double] { lock.withLock { list } }
        func add(_ seconds: Double) { lock.withLock { list.append(seconds) } }
    }

    /// One scenario of the reference: scripted answers, then what huggingface_hub did.
    struct Scenario {
        var name: String
        var script: [MockHubServer.Scripted]
        var attempts: Int
        var waits: [Double]
        /// The final status (200 when it succeeded), or nil when the last attempt got no answer.
        var outcome: Int?
    }

    static func scenarios() throws -> [Scenario] {
        let url = MockHubServer.fixtures.appendingPathComponent("retry.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let list = try #require(root["scenarios"] as? [[String: Any]])
        return try list.map { item in
            let responses = try #require(item["responses"] as? [Any])
            let script = try responses.map { response -> MockHubServer.Scripted in
                if response as? String == "drop" { return .drop }
                let pair = try #require(response as? [Any])
                return .status(try #require(pair[0] as? Int), try #require(pair[1] as? [String: String]))
            }
            return Scenario(
                name: try #require(item["name"] as? String), script: script,
                attempts: try #require(item["attempts"] as? Int),
                waits: try #require(item["waits"] as? [Double]), outcome: item["outcome"] as? Int)
        }
    }

    static func resolver(_ server: MockHubServer, cache: URL, waits: Waits, events: HubDownloadTests.Events? = nil)
        -> HubResolver
    {
        var resolver = HubDownloadTests.resolver(server, cache: cache, events: events)
        resolver.retryPolicy.sleep = { waits.add($0) }
        return resolver
    }

    /// The mock hub's repository.
    static func id() throws -> HubModelID { try HubModelID(repository: "tiny-org/tiny-llama") }

    /// Every scenario, played on the listing, on a file's HEAD and on an LFS file's GET (from the CDN): the same
    /// attempts and waits as huggingface_hub, and the outcome it reached.
    @Test(arguments: ["listing", "HEAD config.json", "GET model.safetensors"])
    func retriesAsHuggingFaceHubDoes(request: String) throws {
        let scenarios = try Self.scenarios()
        #expect(scenarios.count >= 10)
        for scenario in scenarios {
            let server = try MockHubServer()
            let cache = try HubDownloadTests.temporaryCache()
            defer { try? FileManager.default.removeItem(at: cache) }
            server.script = [request: scenario.script]
            let waits = Waits()
            let events = HubDownloadTests.Events()
            let resolver = Self.resolver(server, cache: cache, waits: waits, events: events)
            let label = "\(request): \(scenario.name)"
            var failure: DriftError?
            do {
                _ = try resolver.snapshot(for: Self.id())
            } catch let error as DriftError {
                failure = error
            }
            #expect(server.requests(request).count == scenario.attempts, "\(label)")
            #expect(waits.all == scenario.waits, "\(label)")
            let retries = events.all.filter { if case .retrying = $0 { true } else { false } }
            #expect(retries.count == scenario.waits.count, "\(label)")
            switch scenario.outcome {
            case 200?:
                #expect(failure == nil, "\(label): \(failure?.description ?? "")")
            case let status?:
                let error = try #require(failure, "\(label)")
                #expect(error.message.contains("HTTP \(status)"), "\(label): \(error.message)")
                if HubRetryPolicy.retries(status: status) {
                    #expect(error.message.contains("after \(scenario.attempts) attempts"), "\(label)")
                }
            case nil:
                let error = try #require(failure, "\(label)")
                #expect(error.kind == .network)
                #expect(error.message.contains("cannot reach"), "\(label): \(error.message)")
                #expect(error.message.contains("\(scenario.attempts) attempts"), "\(label): \(error.message)")
            }
            if let failure { #expect(failure.description.split(whereSeparator: \.isNewline).count == 1) }
        }
    }

    @Test func waitsForRetryAfterThenBacksOffThenSucceeds() throws {
        let server = try MockHubServer()
        let cache = try HubDownloadTests.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        server.script = [
            "GET model.safetensors": [.status(429, ["Retry-After": "3"]), .status(503, [:])]
        ]
        let reference = try #require(try Self.scenarios().first { $0.name == "rate_limited_then_unavailable" })
        #expect(reference.script == server.script["GET model.safetensors"])
        let waits = Waits()
        let events = HubDownloadTests.Events()
        let folder = try Self.resolver(server, cache: cache, waits: waits, events: events).snapshot(for: Self.id())
        let file = try #require(server.file("model.safetensors"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("model.safetensors")) == file.data)
        #expect(waits.all == reference.waits)
        #expect(server.requests("GET model.safetensors").count == 3)
        let retries = events.all.compactMap { event -> HubProgress? in
            if case .retrying = event { event } else { nil }
        }
        let what = "model.safetensors of tiny-org/tiny-llama"
        try #require(reference.waits.count == 2)
        #expect(
            retries == [
                .retrying(what: what, reason: "HTTP 429", attempt: 1, of: 6, seconds: reference.waits[0]),
                .retrying(what: what, reason: "HTTP 503", attempt: 2, of: 6, seconds: reference.waits[1]),
            ])
    }

    @Test func aPermanent500EndsInOneLineThatSaysWhatToDo() throws {
        let server = try MockHubServer()
        let cache = try HubDownloadTests.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        server.script = [
            "HEAD config.json": Array(repeating: .status(500, ["X-Error-Message": "Internal Error"]), count: 20)
        ]
        let waits = Waits()
        let error = try HubDownloadTests.error {
            _ = try Self.resolver(server, cache: cache, waits: waits).snapshot(for: Self.id())
        }
        #expect(error.kind == .network)
        #expect(
            error.message
                == "gave up on config.json of tiny-org/tiny-llama after 6 attempts (last answer from \(server.endpoint): HTTP 500: Internal Error); the Hub is overloaded or down: wait a few minutes and run the command again — files already downloaded are kept and a partial download resumes"
        )
        #expect(error.description.split(whereSeparator: \.isNewline).count == 1)
        let reference = try #require(try Self.scenarios().first { $0.name == "permanent_500" })
        #expect(waits.all == reference.waits)
        #expect(server.requests("HEAD config.json").count == reference.attempts)
    }

    /// A dropped connection mid-file, then a 503: the download resumes from the bytes on disk each time.
    @Test func resumesFromTheBytesOnDiskAcrossACutAndA503() throws {
        let server = try MockHubServer()
        let cache = try HubDownloadTests.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        server.cutAfter = ["model.safetensors": 50_000]
        server.script = ["GET model.safetensors": [.serve, .status(503, ["Retry-After": "1"])]]
        let waits = Waits()
        let folder = try Self.resolver(server, cache: cache, waits: waits).snapshot(for: Self.id())
        let file = try #require(server.file("model.safetensors"))
        #expect(try Data(contentsOf: folder.appendingPathComponent("model.safetensors")) == file.data)
        let ranges = server.requests("GET model.safetensors").map { $0.headers["range"] }
        #expect(ranges == [nil, "bytes=50000-", "bytes=50000-"])
        // The cut brought bytes, so the count of failures in a row starts again: 1 s; then Retry-After 1 + 1.
        #expect(waits.all == [1, 2])
    }

    /// With a complete copy in the cache, a busy Hub is asked once and the copy is used.
    @Test func aBusyHubFallsBackToACompleteCacheWithoutWaiting() throws {
        let server = try MockHubServer()
        let cache = try HubDownloadTests.temporaryCache()
        defer { try? FileManager.default.removeItem(at: cache) }
        let waits = Waits()
        let online = try Self.resolver(server, cache: cache, waits: waits).snapshot(for: Self.id())
        server.script = ["listing": Array(repeating: .status(503, [:]), count: 10)]
        let before = server.requests("listing").count
        let events = HubDownloadTests.Events()
        let busy = Self.resolver(server, cache: cache, waits: waits, events: events)
        #expect(try busy.snapshot(for: Self.id()) == online)
        #expect(server.requests("listing").count == before + 1)
        #expect(waits.all.isEmpty)
        #expect(
            events.all.contains(
                .usingCache(repository: "tiny-org/tiny-llama", reason: "\(server.endpoint) answered HTTP 503")))
    }

    /// The delay read from a response's headers equals huggingface_hub's (`parse_ratelimit_headers` on a 429 whose
    /// `RateLimit` says `r=0`, else `_parse_retry_after`), case by case.
    @Test func serverDelaysMatchHuggingFaceHub() throws {
        let url = MockHubServer.fixtures.appendingPathComponent("retry.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let cases = try #require(root["header_cases"] as? [[String: Any]])
        #expect(cases.count >= 8)
        for item in cases {
            let status = try #require(item["status"] as? Int)
            let headers = try #require(item["headers"] as? [String: String])
            let response = HubHTTPClient.Response(
                status: status,
                headers: Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value) }),
                url: URL(fileURLWithPath: "/"), body: Data())
            #expect(HubRetryPolicy.serverDelay(response) == item["delay"] as? Int, "\(status) \(headers)")
        }
    }
}
