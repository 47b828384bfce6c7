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
            JSON for scripts. Binds to 127.0.0.1 unless --host says otherwise; there is no authentication. The run \
            directory is only read.
            """
    )

    @Argument(help: "A run directory written by `compare`, `import` or `analyze`.")
    var directory: String

    @Option(help: "Address to bind (a non-loopback address exposes the run to the network).")
    var host = "127.0.0.1"

    @Option(help: "TCP port.")
    var port = 8080

    @Flag(help: "Embed new concepts through the run's models (not available in this build).")
    var live = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535") }
    }

    func run() async throws {
        let server = try ExplorerServer(
            runDirectory: URL(fileURLWithPath: directory),
            configuration: ExplorerConfiguration(host: host, port: port, live: live),
            progress: { StandardError.write("serve: \($0)\n") })
        let shown = host.contains(":") ? "[\(host)]" : host
        StandardError.write("serve: open http://\(shown):\(port)/ (Ctrl-C stops)\n")
        try await server.run()
    }
}
