import Foundation

/// When a request to the Hub is sent again after a transient failure, and how long to wait first — the defaults of
/// huggingface_hub's `http_backoff`.
///
/// - Retried: HTTP 408, 429, 500, 502, 503 and 504, and a request that got no complete answer (no connection, a
///   timeout, a dropped connection). Never 401, 403, 404 or any other status.
/// - At most ``maximumRetries`` (5) retries, so 6 attempts.
/// - The wait before retry *n* (from 1) is the server's delay plus one second when it gives one — for a 429 the
///   `RateLimit` header's `t=<seconds>` when it says `r=0`, else `Retry-After: <seconds>` on any retried status (an
///   HTTP-date is ignored) — and otherwise `min(8, 1 · 2^(n-1))` seconds: 1, 2, 4, 8, 8.
///
/// The waiting goes through ``sleep`` so that tests can record it instead of sleeping.
struct HubRetryPolicy: Sendable {
    /// Retries after the first attempt (huggingface_hub's `max_retries`).
    var maximumRetries = 5
    /// The first backoff wait, in seconds (`base_wait_time`).
    var baseWait: Double = 1
    /// The longest backoff wait, in seconds (`max_wait_time`).
    var maximumWait: Double = 8
    /// Waits the given number of seconds.
    var sleep: @Sendable (Double) -> Void = { seconds in Thread.sleep(forTimeInterval: seconds) }

    /// The statuses retried (huggingface_hub's `_DEFAULT_RETRY_ON_STATUS_CODES`).
    static let retriedStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    /// Whether a response with `status` is sent again.
    static func retries(status: Int) -> Bool { retriedStatuses.contains(status) }

    /// Seconds to wait before retry number `retry` (1 for the first retry), given the failed response (nil when
    /// there was no answer).
    func wait(beforeRetry retry: Int, after response: HubHTTPClient.Response?) -> Double {
        if let response, let delay = Self.serverDelay(response) { return Double(delay) + 1 }
        let doublings = max(0, min(retry - 1, 62))
        return min(maximumWait, baseWait * pow(2, Double(doublings)))
    }

    /// The delay the server asks for, in whole seconds: for a 429 whose `RateLimit` header says no request remains
    /// (`"<kind>";r=0;t=<seconds>`), `t`; else `Retry-After` when it is a number of seconds; else nil.
    static func serverDelay(_ response: HubHTTPClient.Response) -> Int? {
        if response.status == 429, let limit = response.header("RateLimit"), let (remaining, reset) = rateLimit(limit),
            remaining == 0
        {
            return reset
        }
        guard let text = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
            text.utf8.allSatisfy({ (48...57).contains($0) })
        else { return nil }
        return Int(text)
    }

    /// The first `"<kind>";r=<remaining>;t=<seconds>` in a `RateLimit` header (the IETF draft's syntax, searched as
    /// huggingface_hub's `parse_ratelimit_headers` does).
    private static func rateLimit(_ text: String) -> (remaining: Int, reset: Int)? {
        guard
            let expression = try? NSRegularExpression(
                pattern: #""\w+"\s*;\s*r\s*=\s*(\d+)\s*;\s*t\s*=\s*(\d+)"#),
            let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let remainingRange = Range(match.range(at: 1), in: text),
            let resetRange = Range(match.range(at: 2), in: text),
            let remaining = Int(text[remainingRange]), let reset = Int(text[resetRange])
        else { return nil }
        return (remaining, reset)
    }
}
