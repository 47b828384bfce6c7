/// Where the explorer listens and what it serves.
public struct ExplorerConfiguration: Sendable, Equatable {
    /// The address to bind (loopback by default: the explorer has no authentication).
    public var host: String
    /// The TCP port; 0 asks the system for a free one.
    public var port: Int
    /// Whether new terms may be embedded through the run's models (`POST /api/embed`).
    public var live: Bool
    /// In live mode, the longest a request waits for its term, in seconds (then 503; the embedding goes on and is
    /// cached).
    public var liveTimeout: Double

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 8080, live: Bool = false, liveTimeout: Double = 60) {
        self.host = host
        self.port = port
        self.live = live
        self.liveTimeout = liveTimeout
    }
}
