import DriftCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DriftExplorer

/// Every endpoint against the fixture run's tables, read independently from `tables/*.json` and `umap_<v>.npy`.
@Suite struct ExplorerServerTests {
    static func server(host: String = "127.0.0.1") throws -> ExplorerServer {
        try ExplorerServer(
            runDirectory: try FixtureRun.url.get(), configuration: ExplorerConfiguration(host: host, port: 0))
    }

    /// GETs `uri` on the in-process router; returns the status and the JSON body.
    static func get(_ uri: String, server: ExplorerServer? = nil) async throws -> (HTTPResponse.Status, Any) {
        let app = try server ?? Self.server()
        return try await app.application().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                let data = Data(String(buffer: response.body).utf8)
                return (response.status, try JSONSerialization.jsonObject(with: data))
            }
        }
    }

    static func close(_ x: Any?, _ y: Any?) -> Bool {
        guard let a = (x as? NSNumber)?.doubleValue, let b = (y as? NSNumber)?.doubleValue else { return false }
        return abs(a - b) <= 1e-12 * max(1, abs(b))
    }

    @Test func runListsVariantsLayersPairsAndCategories() async throws {
        let (status, body) = try await Self.get("/api/run")
        #expect(status == .ok)
        let run = try #require(body as? [String: Any])
        #expect(run["variants"] as? [String] == FixtureRun.variants)
        #expect(run["layers"] as? [Int] == [0, 1, 2])
        #expect(run["headline_layer"] as? Int == 2)
        let pairs = try #require(run["pairs"] as? [[String]])
        let expected = Set(try FixtureRun.table("global").map { "\($0["variant_a"]!),\($0["variant_b"]!)" })
        #expect(Set(pairs.map { $0.joined(separator: ",") }) == expected)
        #expect(pairs.first == ["base", "instruct"])
        let categories = try #require(run["categories"] as? [[String: Any]])
        #expect(categories.map { $0["name"] as? String } == ["demographic", "factual", "profession"])
        #expect(categories.map { $0["n"] as? Int } == [8, 8, 8])
        #expect(run["concept_count"] as? Int == 24)
        #expect(run["has_umap"] as? Bool == true)
    }

    @Test func conceptsInRowOrder() async throws {
        let (status, body) = try await Self.get("/api/concepts")
        #expect(status == .ok)
        let list = try #require((body as? [String: Any])?["concepts"] as? [[String: String]])
        #expect(list.map { $0["term"] } == FixtureRun.terms.map(\.term))
        #expect(list.map { $0["category"] } == FixtureRun.terms.map(\.category))
    }

    @Test(arguments: [("Muslim", "base,instruct", 2), ("doctor", "instruct,tuned", 1), ("Paris", "base,tuned", 0)])
    func conceptMatchesTheConceptTable(term: String, pair: String, layer: Int) async throws {
        let (status, body) = try await Self.get("/api/concept/\(term)?pair=\(pair)&layer=\(layer)")
        #expect(status == .ok)
        let c = try #require(body as? [String: Any])
        let ab = pair.split(separator: ",").map(String.init)
        let table = try FixtureRun.table("concept_drift")
        let row = try #require(
            table.first {
                $0["concept"] as? String == term && $0["variant_a"] as? String == ab[0]
                    && $0["variant_b"] as? String == ab[1] && $0["layer"] as? Int == layer
            })
        for key in [
            "cosine_distance", "centered_distance", "procrustes_distance", "jaccard", "second_order", "percentile",
        ] {
            #expect(Self.close(c[key], row[key]), "\(key): \(c[key] ?? "nil") vs \(row[key] ?? "nil")")
        }
        #expect(c["category"] as? String == row["category"] as? String)
        // The concept's covariates in the pair's first variant, from tables/covariates.
        let covariates = try #require(c["covariates"] as? [[String: Any]])
        #expect(covariates.map { $0["name"] as? String } == ["norm", "density", "centroid"])
        let covariateRow = try #require(
            try FixtureRun.table("covariates").first {
                $0["term"] as? String == term && $0["variant"] as? String == ab[0] && $0["layer"] as? Int == layer
            })
        for entry in covariates {
            let name = try #require(entry["name"] as? String)
            #expect(Self.close(entry["value"], covariateRow[name]), "\(name)")
        }
        // Category rank: 1 + the number of same-category concepts drifting more, from the table.
        let peers = table.filter {
            $0["category"] as? String == row["category"] as? String && $0["variant_a"] as? String == ab[0]
                && $0["variant_b"] as? String == ab[1] && $0["layer"] as? Int == layer
        }
        let mine = try #require((row["cosine_distance"] as? NSNumber)?.doubleValue)
        let above = peers.filter { (($0["cosine_distance"] as? NSNumber)?.doubleValue ?? 0) > mine }.count
        #expect(c["category_rank"] as? Int == above + 1)
        #expect(c["category_size"] as? Int == peers.count)
        // The category summary is the category table's row.
        let summary = try #require(c["category_summary"] as? [String: Any])
        let catRow = try #require(
            try FixtureRun.table("category_drift").first {
                $0["category"] as? String == row["category"] as? String && $0["variant_a"] as? String == ab[0]
                    && $0["variant_b"] as? String == ab[1] && $0["layer"] as? Int == layer
            })
        for key in ["mean", "ci_low", "ci_high", "median", "max", "top_quartile_share"] {
            #expect(Self.close(summary[key], catRow[key]), "\(key)")
        }
        // Every pair at this layer, and every layer of this pair.
        let pairs = try #require(c["pairs"] as? [[String: Any]])
        #expect(pairs.count == 3)
        for p in pairs {
            let r = try #require(
                table.first {
                    $0["concept"] as? String == term && $0["variant_a"] as? String == p["variant_a"] as? String
                        && $0["variant_b"] as? String == p["variant_b"] as? String && $0["layer"] as? Int == layer
                })
            #expect(Self.close(p["cosine_distance"], r["cosine_distance"]))
        }
        let layers = try #require(c["layers"] as? [[String: Any]])
        #expect(layers.map { $0["layer"] as? Int } == [0, 1, 2])
    }

    @Test func percentEncodedTermsAreDecoded() async throws {
        let (status, body) = try await Self.get("/api/concept/%4Duslim")
        #expect(status == .ok)
        #expect((body as? [String: Any])?["term"] as? String == "Muslim")
    }

    @Test func neighborsMatchTheNeighborTable() async throws {
        for variant in FixtureRun.variants {
            let (status, body) = try await Self.get("/api/neighbors/nurse?variant=\(variant)&k=3")
            #expect(status == .ok)
            let answer = try #require(body as? [String: Any])
            let list = try #require(answer["neighbors"] as? [[String: Any]])
            let expected = try FixtureRun.table("neighbors").filter {
                $0["variant"] as? String == variant && $0["concept"] as? String == "nurse" && $0["layer"] as? Int == 2
            }.sorted { ($0["rank"] as? Int ?? 0) < ($1["rank"] as? Int ?? 0) }
            #expect(answer["stored"] as? Int == expected.count)
            #expect(list.count == 3)
            for (got, want) in zip(list, expected) {
                #expect(got["neighbor"] as? String == want["neighbor"] as? String)
                #expect(got["rank"] as? Int == want["rank"] as? Int)
                #expect(Self.close(got["similarity"], want["similarity"]))
            }
        }
    }

    @Test func umapIsTheStoredArray() async throws {
        let (status, body) = try await Self.get("/api/umap?variant=tuned")
        #expect(status == .ok)
        let answer = try #require(body as? [String: Any])
        let variants = try #require(answer["variants"] as? [[String: Any]])
        #expect(variants.count == 1)
        let points = try #require(variants.first?["points"] as? [[Double]])
        let stored = try NumpyArray(contentsOf: try FixtureRun.url.get().appendingPathComponent("umap_tuned.npy"))
        #expect(stored.shape == [24, 2])
        let values = stored.doubleValues()
        #expect(points.count == 24)
        for (i, p) in points.enumerated() {
            #expect(abs(p[0] - values[2 * i]) <= 1e-6 * max(1, abs(values[2 * i])))
            #expect(abs(p[1] - values[2 * i + 1]) <= 1e-6 * max(1, abs(values[2 * i + 1])))
        }
        let (_, all) = try await Self.get("/api/umap")
        #expect(((all as? [String: Any])?["variants"] as? [Any])?.count == 3)
    }

    @Test func categoriesMatchTheCategoryTable() async throws {
        let (status, body) = try await Self.get("/api/categories?pair=base,tuned&layer=1")
        #expect(status == .ok)
        let list = try #require((body as? [String: Any])?["categories"] as? [[String: Any]])
        let rows = try FixtureRun.table("category_drift").filter {
            $0["variant_a"] as? String == "base" && $0["variant_b"] as? String == "tuned" && $0["layer"] as? Int == 1
        }
        #expect(list.count == rows.count)
        for got in list {
            let want = try #require(rows.first { $0["category"] as? String == got["category"] as? String })
            #expect(Self.close(got["mean"], want["mean"]))
            #expect(got["n"] as? Int == want["n"] as? Int)
        }
        let means = list.compactMap { ($0["mean"] as? NSNumber)?.doubleValue }
        #expect(means == means.sorted(by: >))
    }

    @Test func unknownConceptIs404WithSuggestions() async throws {
        let (status, body) = try await Self.get("/api/concept/muslim")
        #expect(status == .notFound)
        let answer = try #require(body as? [String: Any])
        #expect((answer["error"] as? String)?.contains("unknown concept") == true)
        // Case-insensitive exact first, then prefix/edit distance ("Mussolini" is 3 edits from "muslim").
        let suggestions = try #require(answer["suggestions"] as? [String])
        #expect(suggestions.first == "Muslim")
        let (status2, body2) = try await Self.get("/api/neighbors/Musl?variant=base")
        #expect(status2 == .notFound)
        #expect(((body2 as? [String: Any])?["suggestions"] as? [String])?.first == "Muslim")
    }

    @Test(arguments: [
        "/api/concept/Muslim?pair=base", "/api/concept/Muslim?pair=base,nope", "/api/concept/Muslim?pair=instruct,base",
        "/api/concept/Muslim?layer=7", "/api/concept/Muslim?layer=two", "/api/neighbors/Muslim",
        "/api/neighbors/Muslim?variant=base&k=0", "/api/neighbors/Muslim?variant=base&k=x",
        "/api/umap?variant=other", "/api/categories?layer=-1",
        "/api/concept/" + String(repeating: "a", count: 201),
    ])
    func badParametersAre400WithAMessage(uri: String) async throws {
        let (status, body) = try await Self.get(uri)
        #expect(status == .badRequest)
        let message = try #require((body as? [String: Any])?["error"] as? String)
        #expect(!message.isEmpty)
    }

    @Test func noPathReachesAFile() async throws {
        let app = try Self.server().application()
        try await app.test(.router) { client in
            for uri in [
                "/../manifest.json", "/%2e%2e/manifest.json", "/manifest.json", "/tables/concept_drift.json",
                "/api/../manifest.json", "/..%2fmanifest.json", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
            ] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(!String(buffer: response.body).contains("embedding-drift-run"), "\(uri)")
                }
            }
        }
    }

    @Test func pageIsSelfContained() async throws {
        let app = try Self.server().application()
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let html = String(buffer: response.body)
                for id in [
                    "concept", "pair", "layer", "summary-body", "umap-body", "neighbors-body", "categories-body",
                ] {
                    #expect(html.contains("id=\"\(id)\""), "\(id)")
                }
                #expect(!html.contains("http://") && !html.contains("https://"))
                #expect(!html.contains("<script src") && !html.contains("<link"))
                #expect(html.contains("<h1>run</h1>"))
            }
        }
    }

    @Test func pageEscapesTheTitle() {
        let html = ExplorerPage.html(title: "<b>\"x\" & y</b>")
        #expect(html.contains("<h1>&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;</h1>"))
        #expect(!html.contains("{{TITLE}}"))
    }

    @Test func servesOnARandomLoopbackPort() async throws {
        let app = try Self.server().application()
        try await app.test(.live) { client in
            try await client.execute(uri: "/api/concept/nurse?pair=base,tuned", method: .get) { response in
                #expect(response.status == .ok)
                let body =
                    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                #expect(body?["term"] as? String == "nurse")
            }
        }
    }

    @Test func liveModeNeedsRecordedModelsAndNonLoopbackHostsAreFlagged() throws {
        #expect(throws: DriftError.self) {
            _ = try ExplorerServer(
                runDirectory: try FixtureRun.url.get(), configuration: ExplorerConfiguration(port: 0, live: true))
        }
        #expect(ExplorerServer.isLoopback("127.0.0.1") && ExplorerServer.isLoopback("::1"))
        #expect(!ExplorerServer.isLoopback("0.0.0.0"))
        let messages = Messages()
        _ = try ExplorerServer(
            runDirectory: try FixtureRun.url.get(), configuration: ExplorerConfiguration(host: "0.0.0.0", port: 0),
            progress: { messages.append($0) })
        #expect(messages.all.contains { $0.hasPrefix("warning:") })
    }

    @Test func notADirectoryRunIsAClearError() throws {
        let error = #expect(throws: DriftError.self) {
            _ = try ExplorerServer(
                runDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("no-such-run"),
                configuration: ExplorerConfiguration(port: 0))
        }
        #expect(error?.description.contains("manifest") == true)
    }
}

final class Messages: @unchecked Sendable {
    // Safe to share: `items` is only touched while holding `lock`.
    private let lock = NSLock()
    private var items: [String] = []
    func append(_ s: String) { lock.withLock { items.append(s) } }
    var all: [String] { lock.withLock { items } }
}
