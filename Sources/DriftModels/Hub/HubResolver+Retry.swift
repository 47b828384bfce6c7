import DriftCore
import Foundation

extension HubResolver {
    /// A status worth retrying (HTTP 429 or 5xx) answered to a request that was sent once only.
    struct TransientStatus: Error, Sendable {
        var response: HubHTTPClient.Response
    }

    /// Sends a request until its answer is not a status worth retrying, as huggingface_hub's `http_backoff` does:
    /// a transport failure or a status in ``HubRetryPolicy/retriedStatuses`` is retried after the policy's wait,
    /// reported as ``HubProgress/retrying(what:reason:attempt:of:seconds:)``.
    ///
    /// - Parameters:
    ///   - what: what is asked for, in words (`config.json of owner/name`), for progress and errors.
    ///   - retrying: false to send once and return whatever comes back.
    ///   - retryingUnconnected: false to give up at once when no connection can be made at all (host not found,
    ///     connection refused, no network).
    ///   - send: one attempt.
    /// - Returns: the first answer whose status is not retried (or, when not `retrying`, the only answer).
    /// - Throws: ``HubHTTPClient/TransportFailure`` (with its attempt count) when the last attempt got no answer;
    ///   ``DriftCore/DriftError`` (`.network`) naming the attempts and the last status when every attempt got a
    ///   retried status; whatever `send` throws otherwise.
    func sendRetrying(
        _ what: String, retrying: Bool = true, retryingUnconnected: Bool = true,
        _ send: () throws -> HubHTTPClient.Response
    ) throws -> HubHTTPClient.Response {
        var attempt = 0
        while true {
            attempt += 1
            let response: HubHTTPClient.Response
            do {
                response = try send()
            } catch var failure as HubHTTPClient.TransportFailure {
                guard retrying, attempt <= retryPolicy.maximumRetries, failure.connected || retryingUnconnected else {
                    failure.attempts = attempt
                    throw failure
                }
                waitBeforeRetry(attempt, what: what, reason: failure.reason, after: nil)
                continue
            }
            guard retrying, HubRetryPolicy.retries(status: response.status) else { return response }
            guard attempt <= retryPolicy.maximumRetries else {
                throw gaveUp(on: what, attempts: attempt, last: response)
            }
            waitBeforeRetry(attempt, what: what, reason: "HTTP \(response.status)", after: response)
        }
    }

    /// Reports and waits before retry number `retry` (from 1); `response` is the failed answer, nil without one.
    func waitBeforeRetry(_ retry: Int, what: String, reason: String, after response: HubHTTPClient.Response?) {
        let seconds = retryPolicy.wait(beforeRetry: retry, after: response)
        progress?(
            .retrying(
                what: what, reason: reason, attempt: retry, of: retryPolicy.maximumRetries + 1, seconds: seconds))
        if seconds > 0 { retryPolicy.sleep(seconds) }
    }

    /// The one-line error when every attempt got a status worth retrying.
    func gaveUp(on what: String, attempts: Int, last response: HubHTTPClient.Response) -> DriftError {
        let message = response.header("X-Error-Message").map { ": \($0)" } ?? ""
        return DriftError(
            .network,
            "gave up on \(what) after \(attempts) attempts (last answer from \(environment.endpoint): HTTP \(response.status)\(message)); the Hub is overloaded or down: wait a few minutes and run the command again — files already downloaded are kept and a partial download resumes"
        )
    }
}
