import DriftCore
import DriftReport
public import Foundation
package import Hummingbird
import HummingbirdCore

/// The explorer's HTTP server over one run directory: the page at `/` and the JSON API under `/api/`.
///
/// The run directory is read once at start and never written, except in live mode its live cache file
/// (`live_cache.json`, atomically). Only the fixed routes below exist, so no request path can reach a file.
public struct ExplorerServer: Sendable {
    /// The longest concept term a request may name, in characters.
    public static let maxTermLength = 200
    /// The largest request body any route accepts, in bytes (larger ones are answered 413 and the connection closed).
    public static let maxRequestBytes = 16_384
    /// The longest a request may take to arrive, head and body (then 408 and the connection is closed).
    public static let readTimeoutSeconds: Int64 = 30
    /// How long a connection may stay idle (no request under way, or a head that never completes) before it is
    /// closed.
    public static let idleTimeoutSeconds: Int64 = 60

    /// Where it listens.
    public let configuration: ExplorerConfiguration
    /// The run's tables, indexed.
    package let index: ExplorerIndex
    /// Live mode's models and cache (nil without `--live`).
    package let live: LiveSession?

    /// Reads the run directory at `url` and, in live mode, loads every variant's model; `progress` receives one-line
    /// messages (including a warning when the host is not a loopback address: the explorer has no authentication).
    ///
    /// - Throws: ``DriftError`` when the directory is not an analysed run, the port or live timeout is out of range,
    ///   or (live mode) a variant's model is not recorded, missing or changed.
    public init(
        runDirectory url: URL, configuration: ExplorerConfiguration,
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        guard (0...65535).contains(configuration.port) else {
            throw DriftError(.invalidArgument, "the port must be 0…65535; got \(configuration.port)")
        }
        guard configuration.liveTimeout > 0, configuration.liveTimeout <= 3600 else {
            throw DriftError(
                .invalidArgument,
                "the live timeout must be over 0 and at most 3600 seconds; got \(configuration.liveTimeout)")
        }
        self.configuration = configuration
        if !Self.isLoopback(configuration.host) {
            progress(
                "warning: listening on \(configuration.host), which is not a loopback address — anyone who can reach "
                    + "it can read this run" + (configuration.live ? " and make it run its models" : ""))
        }
        progress("reading \(url.path)")
        index = ExplorerIndex(try ReportData(runDirectory: url))
        let data = index.data
        progress(
            "\(data.concepts.count) concepts, \(data.variants.count) variants, \(data.layers.count) layers, "
                + "\(data.pairs.count) pairs")
        live =
            configuration.live
            ? try LiveSession(
                runDirectory: url, data: data, timeout: .nanoseconds(Int64(configuration.liveTimeout * 1e9)),
                progress: progress)
            : nil
    }

    /// Whether `host` names a loopback address (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// The routes.
    package func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let index = self.index
        router.get("/") { _, _ in
            Self.response(
                Data(ExplorerPage.html(title: index.data.title).utf8), contentType: "text/html; charset=utf-8")
        }
        let live = self.live
        router.get("/api/run") { _, _ in
            var run = index.run()
            run.live = live != nil
            return Self.json(run)
        }
        router.get("/api/concepts") { _, _ in Self.json(index.concepts()) }
        router.get("/api/concept/:term") { request, context in
            Self.answer {
                () throws(ExplorerAPI.Failure) in
                let term = try Self.term(context.parameters.get("term"))
                let query = request.uri.queryParameters
                if index.rowOf[term] == nil, let live, let record = live.cache.record(term) {
                    return live.concept(
                        record, pair: try index.pair(query.get("pair")), layer: try index.layer(query.get("layer")))
                }
                return try index.concept(term, pair: query.get("pair"), layer: query.get("layer"))
            }
        }
        router.get("/api/neighbors/:term") { request, context in
            Self.answer {
                () throws(ExplorerAPI.Failure) in
                let term = try Self.term(context.parameters.get("term"))
                let query = request.uri.queryParameters
                if index.rowOf[term] == nil, let live, let record = live.cache.record(term) {
                    return live.neighbors(
                        record, variant: try index.variant(query.get("variant")), k: try Self.k(query.get("k")),
                        layer: try index.layer(query.get("layer")))
                }
                return try index.neighbors(
                    term, variant: query.get("variant"), k: query.get("k"), layer: query.get("layer"))
            }
        }
        router.get("/api/outputs/:term") { _, context in
            Self.answer {
                () throws(ExplorerAPI.Failure) in
                let term = try Self.term(context.parameters.get("term"))
                if index.rowOf[term] == nil, let live, let record = live.cache.record(term) {
                    return live.outputs(record)
                }
                return try index.outputs(term)
            }
        }
        router.get("/api/categories") { request, _ in
            Self.answer { () throws(ExplorerAPI.Failure) in
                let query = request.uri.queryParameters
                return try index.categories(pair: query.get("pair"), layer: query.get("layer"))
            }
        }
        router.get("/api/umap") { request, _ in
            Self.answer { () throws(ExplorerAPI.Failure) in
                try index.umap(variant: request.uri.queryParameters.get("variant"))
            }
        }
        router.post("/api/embed") { request, _ in await Self.embed(request, index: index, live: live) }
        return router
    }

    /// Serves until the task is cancelled (or the process receives SIGINT/SIGTERM).
    public func run() async throws {
        try await application().runService()
    }

    /// The Hummingbird application bound to the configured host and port, with the request limits on every
    /// connection (``maxRequestBytes``, ``readTimeoutSeconds``, ``idleTimeoutSeconds``; see ``RequestLimitHandler``).
    ///
    /// - Parameters:
    ///   - readTimeoutSeconds: the read timeout (tests shorten it).
    ///   - idleTimeoutSeconds: the idle timeout (tests shorten it).
    package func application(
        readTimeoutSeconds: Int64 = Self.readTimeoutSeconds, idleTimeoutSeconds: Int64 = Self.idleTimeoutSeconds
    ) -> Application<RouterResponder<BasicRequestContext>> {
        Application(
            router: router(),
            server: HTTPServerBuilder { responder in
                GuardedHTTP1Channel(
                    http1: HTTP1Channel(
                        responder: responder,
                        configuration: .init(
                            additionalChannelHandlers: [
                                RequestLimitHandler(
                                    maxBodyBytes: Self.maxRequestBytes, readTimeout: .seconds(readTimeoutSeconds))
                            ],
                            idleTimeout: .seconds(idleTimeoutSeconds))),
                    maxBodyBytes: Self.maxRequestBytes)
            },
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "embedding-drift"))
    }

    // MARK: - Helpers

    /// The percent-decoded path parameter, bounded in length.
    static func term(_ raw: String?) throws(ExplorerAPI.Failure) -> String {
        guard let raw, let term = raw.removingPercentEncoding, !term.isEmpty else {
            throw ExplorerAPI.Failure(status: 400, error: "the concept is missing or not valid percent-encoding")
        }
        guard term.count <= maxTermLength else {
            throw ExplorerAPI.Failure(
                status: 400, error: "the concept is longer than \(maxTermLength) characters (\(term.count))")
        }
        return term
    }

    static func answer<T: Encodable>(_ body: () throws(ExplorerAPI.Failure) -> T) -> Response {
        do {
            return json(try body())
        } catch {
            return json(error, status: .init(code: error.status))
        }
    }

    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"cannot encode the answer"}"#.utf8)
        return response(data, contentType: "application/json; charset=utf-8", status: status)
    }

    static func response(_ data: Data, contentType: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        // swift-format-ignore: NeverForceUnwrap
        // A constant, valid field name: the initializer fails only on characters a token may not hold.
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
