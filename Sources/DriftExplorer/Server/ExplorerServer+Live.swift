import DriftCore
import DriftModels
import DriftReport
import Foundation
import Hummingbird

extension ExplorerServer {
    /// The largest body `POST /api/embed` accepts, in bytes (larger: 413).
    public static let maxBodyBytes = 4_096

    /// `POST /api/embed` with `{"term": "…", "layer": L?, "k": K?}`: 404 without live mode, 413 for a body over
    /// ``maxBodyBytes``, 400 for a body that is not such JSON or a term that is empty, too long or has control
    /// characters, 503 when the models do not answer in time.
    static func embed(_ request: Request, index: ExplorerIndex, live: LiveSession?) async -> Response {
        guard let live else {
            return failure(
                ExplorerAPI.Failure(status: 404, error: "live mode is off: serve with --live to embed new terms"))
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch {
            return failure(
                ExplorerAPI.Failure(
                    status: 413, error: "the request body is over \(maxBodyBytes) bytes; send {\"term\": \"…\"}"))
        }
        do throws(ExplorerAPI.Failure) {
            let parsed = try embedRequest(Data(body.readableBytesView))
            let term = try liveTerm(parsed.term)
            let layer =
                try parsed.layer.map { l throws(ExplorerAPI.Failure) in try index.layer(String(l)) }
                ?? index.data.headlineLayer
            let k = try self.k(parsed.k.map(String.init)) ?? 10
            let (record, cached) = try await live.record(for: term)
            return json(live.embedded(record, cached: cached, layer: layer, k: k))
        } catch {
            return failure(error)
        }
    }

    /// The decoded body, or a 400 saying what is expected.
    static func embedRequest(_ data: Data) throws(ExplorerAPI.Failure) -> ExplorerAPI.EmbedRequest {
        // JSONDecoder keeps the last of two equal keys; a body that says two things is refused instead.
        if let key = JSONRepeatedKeys.first(in: data) {
            throw ExplorerAPI.Failure(status: 400, error: "the key \(DriftError.quote(key)) is given twice")
        }
        do {
            return try JSONDecoder().decode(ExplorerAPI.EmbedRequest.self, from: data)
        } catch {
            throw ExplorerAPI.Failure(
                status: 400, error: "the body must be JSON {\"term\": \"…\"} (optional \"layer\", \"k\")")
        }
    }

    /// The term trimmed of surrounding white space: 400 when empty, longer than ``maxTermLength`` or holding a
    /// control character.
    static func liveTerm(_ raw: String) throws(ExplorerAPI.Failure) -> String {
        let term = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !term.isEmpty else {
            throw ExplorerAPI.Failure(status: 400, error: "the term is empty")
        }
        guard term.count <= maxTermLength else {
            throw ExplorerAPI.Failure(
                status: 400, error: "the term is longer than \(maxTermLength) characters (\(term.count))")
        }
        guard !term.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ExplorerAPI.Failure(status: 400, error: "the term holds a control character (a line break?)")
        }
        return term
    }

    /// `k` (1…1000), nil when not given.
    static func k(_ text: String?) throws(ExplorerAPI.Failure) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 1, value <= 1000 else {
            throw ExplorerAPI.Failure(
                status: 400, error: "k must be an integer from 1 to 1000; got \"\(text.prefix(40))\"")
        }
        return value
    }

    static func failure(_ error: ExplorerAPI.Failure) -> Response {
        json(error, status: .init(code: error.status))
    }
}
