import ArgumentParser
import DriftExplorer
import Foundation

/// `embedding-drift serve <dir>`: the explorer over a run directory.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the explorer (a local web page and JSON API) over an analysed run directory.",
        discussion: """
            Open http://<host>:<port>/ in a browser: look up any concept of the run, its drift per variant pair and \
            layer, its place in the joint UMAP and its neighbours. The API (/api/run, /api/concepts, \
            /api/concept/<term>?pair=a,b&layer=L, /api/neighbors/<term>?variant=v&k=K, /api/umap?variant=v) answers \
            JSON for scripts. Binds to 127.0.0.1 unless --host says otherwise; there is no authentication.

            With --live, every variant's model (as the manifest records it: path, @scheme, template, pooling, \
            layers) is loaded at start, and a term the run never extracted can be embedded: the page does it when \
            you type one, scripts POST {"term": "…"} to /api/embed. Its drift, percentile, neighbours and UMAP \
            position are cached in <dir>/live_cache.json (the only file serve ever writes) and reused after a \
            restart. Without --live the run directory is only read.
            """
    )

    @Argument(help: "A run directory written by `compare`, `import` or `analyze`.")
    var directory: String

    @Option(help: "Address to bind (a non-loopback address exposes the run to the network).")
    var host = "127.0.0.1"

    @Option(help: "TCP port.")
    var port = 8080

    @Flag(help: "Load the run's models and embed concepts the run does not have (POST /api/embed).")
    var live = false

    @Option(help: "In live mode, the longest a request waits for the models, in seconds (then 503).")
    var liveTimeout: Double = 60

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535") }
        guard liveTimeout > 0, liveTimeout <= 3600 else { throw ValidationError("--live-timeout must be 0…3600 s") }
    }

    func run() async throws {
        let server = try ExplorerServer(
            runDirectory: URL(fileURLWithPath: directory),
            configuration: ExplorerConfiguration(host: host, port: port, live: live, liveTimeout: liveTimeout),
            progress: { StandardError.write("serve: \($0)\n") })
        let shown = host.contains(":") ? "[\(host)]" : host
        StandardError.write("serve: open http://\(shown):\(port)/ (Ctrl-C stops)\n")
        try await server.run()
    }
}
