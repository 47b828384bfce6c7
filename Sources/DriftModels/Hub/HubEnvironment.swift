public import Foundation

/// Where the Hugging Face cache is, which server to ask, with which token, and whether the network may be used —
/// read from the environment variables huggingface_hub reads, with the same precedence.
///
/// - cache: `HF_HUB_CACHE`, else `HUGGINGFACE_HUB_CACHE`, else `$HF_HOME/hub`, else
///   `$XDG_CACHE_HOME/huggingface/hub`, else `~/.cache/huggingface/hub`;
/// - endpoint: `HF_ENDPOINT` (trailing `/` removed), else `https://huggingface.co`;
/// - token: `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`, else the first line of the file `HF_TOKEN_PATH`, else of
///   `$HF_HOME/token` (surrounding whitespace removed; empty means none);
/// - offline: `HF_HUB_OFFLINE` or `TRANSFORMERS_OFFLINE` set to `1`, `ON`, `YES` or `TRUE` (any case).
///
/// The token is only ever put in an `Authorization` header; ``description`` and every error leave it out.
public struct HubEnvironment: Sendable, CustomStringConvertible {
    /// The cache folder (`…/huggingface/hub`).
    public var cacheDirectory: URL
    /// The Hub's base URL, without a trailing `/`.
    public var endpoint: String
    /// The access token, or nil.
    public var token: String?
    /// True when the network must not be used.
    public var offline: Bool

    /// The public Hub.
    public static let defaultEndpoint = "https://huggingface.co"

    /// Creates an environment from explicit values.
    public init(
        cacheDirectory: URL, endpoint: String = HubEnvironment.defaultEndpoint, token: String? = nil,
        offline: Bool = false
    ) {
        self.cacheDirectory = cacheDirectory
        self.endpoint = Self.trimmedEndpoint(endpoint)
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.offline = offline
    }

    /// Reads the variables from `variables` (the process environment by default).
    public init(variables: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ name: String) -> String? {
            guard let text = variables[name], !text.isEmpty else { return nil }
            return text
        }
        let home = value("HOME") ?? NSHomeDirectory()
        func expanded(_ path: String) -> String {
            path.hasPrefix("~/") ? home + path.dropFirst(1) : path == "~" ? home : path
        }
        let cacheHome = value("XDG_CACHE_HOME").map(expanded) ?? home + "/.cache"
        let hfHome = value("HF_HOME").map(expanded) ?? cacheHome + "/huggingface"
        let cache = (value("HF_HUB_CACHE") ?? value("HUGGINGFACE_HUB_CACHE")).map(expanded) ?? hfHome + "/hub"
        var token = (value("HF_TOKEN") ?? value("HUGGING_FACE_HUB_TOKEN"))
        if token == nil {
            let tokenPath = value("HF_TOKEN_PATH").map(expanded) ?? hfHome + "/token"
            token = (try? String(contentsOfFile: tokenPath, encoding: .utf8))
                .flatMap { $0.split(whereSeparator: \.isNewline).first.map(String.init) }
        }
        token = token?.trimmingCharacters(in: .whitespacesAndNewlines)
        let offline = [value("HF_HUB_OFFLINE"), value("TRANSFORMERS_OFFLINE")].contains {
            $0.map { ["1", "ON", "YES", "TRUE"].contains($0.uppercased()) } ?? false
        }
        self.init(
            cacheDirectory: URL(fileURLWithPath: cache, isDirectory: true),
            endpoint: value("HF_ENDPOINT") ?? Self.defaultEndpoint, token: token, offline: offline)
    }

    /// The settings without the token's value.
    public var description: String {
        "cache \(cacheDirectory.path), endpoint \(endpoint), token \(token == nil ? "none" : "set"), "
            + (offline ? "offline" : "online")
    }

    private static func trimmedEndpoint(_ text: String) -> String {
        var text = text
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
