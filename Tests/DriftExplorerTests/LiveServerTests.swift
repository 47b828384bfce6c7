import DriftAnalysis
import DriftCore
import DriftModels
import DriftReport
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import DriftExplorer

/// Live mode against a run made by `compare` on the fixture models, checked against what `extract` writes for the
/// same new terms and against the run's own files (read independently of the explorer).
@Suite struct LiveServerTests {
    static func server(_ run: URL, live: Bool = true, timeout: Double = 60) throws -> ExplorerServer {
        try ExplorerServer(
            runDirectory: run, configuration: ExplorerConfiguration(port: 0, live: live, liveTimeout: timeout))
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
    }

    static func post(_ body: String, to server: ExplorerServer) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await server.application().test(.router) { client in
            try await client.execute(uri: "/api/embed", method: .post, body: ByteBuffer(string: body)) { response in
                (response.status, try Self.json(response))
            }
        }
    }

    static func get(_ uri: String, from server: ExplorerServer) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await server.application().test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in (response.status, try Self.json(response)) }
        }
    }

    /// Row `row` of layer position `position` of a layers × rows × hidden array.
    static func vector(_ array: NumpyArray, position: Int, row: Int) -> [Float] {
        let (rows, hidden) = (array.shape[1], array.shape[2])
        let values = array.floatValues()
        let start = (position * rows + row) * hidden
        return Array(values[start..<(start + hidden)])
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return na > 0 && nb > 0 ? dot / (na * nb).squareRoot() : 0
    }

    static func manifestLayers(_ run: URL, _ variant: String) throws -> [Int] {
        let manifest = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("manifest.json")))
                as? [String: Any])
        let entries = try #require(manifest["variants"] as? [[String: Any]])
        return try #require(entries.first { $0["name"] as? String == variant }?["layers"] as? [Int])
    }

    // MARK: - The vectors

    /// The live path gives the vectors `extract` writes for the same term, for every variant (including the one
    /// quantized on load with `@nf4`) and every stored layer: bit for bit against `extract` of that term alone (the
    /// same batch of one), within 1e-6 of the vector's largest entry against `extract` of six new terms in one
    /// padded batch (other matrix shapes: other rounding).
    @Test func liveVectorsAreExtractsVectors() async throws {
        let run = try LiveFixtureRun.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        let live = try #require(try Self.server(run).live)
        #expect(live.models.count == 3)
        var worst: Float = 0
        for (t, term) in LiveFixtureRun.newTerms.enumerated() {
            let sets = try await live.hiddenStates(of: term)
            for variant in LiveFixtureRun.variants {
                let reference = try LiveFixtureRun.reference(variant)
                let model = try #require(live.modelOf[variant])
                let set = try #require(sets[model])
                #expect(set.layers == (try Self.manifestLayers(run, variant)))
                #expect(reference.shape == [set.layers.count, LiveFixtureRun.newTerms.count, set.hiddenSize])
                for position in set.layers.indices {
                    let mine = set.matrix(atLayerPosition: position).storage
                    let theirs = Self.vector(reference, position: position, row: t)
                    #expect(mine.count == theirs.count)
                    let scale = theirs.map { abs($0) }.max() ?? 1
                    let error = (zip(mine, theirs).map { abs($0 - $1) }.max() ?? .infinity) / max(scale, 1e-30)
                    worst = max(worst, error)
                    #expect(error <= 1e-6, "\(term) \(variant) layer position \(position): \(error)")
                    if term == LiveFixtureRun.singleTerm {
                        let alone = Self.vector(try LiveFixtureRun.single(variant), position: position, row: 0)
                        #expect(mine == alone, "\(term) \(variant) layer position \(position): not bit-exact")
                    }
                }
            }
        }
        print("live vs extract (6-term batch): max relative error \(worst)")
        // A term of the run comes back as the run stored it (the run batched it with others: rounding only).
        let terms = try LiveFixtureRun.terms().map(\.0)
        let row = try #require(terms.firstIndex(of: "water"))
        let sets = try await live.hiddenStates(of: "water")
        for variant in LiveFixtureRun.variants {
            let model = try #require(live.modelOf[variant])
            let set = try #require(sets[model])
            let stored = try LiveFixtureRun.stored(variant)
            for position in set.layers.indices {
                let mine = set.matrix(atLayerPosition: position).storage
                let theirs = Self.vector(stored, position: position, row: row)
                let error = zip(mine, theirs).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
                #expect(error <= 1e-5, "water \(variant) layer position \(position): \(error)")
            }
        }
    }

    // MARK: - The answers

    /// `POST /api/embed`: drift, percentile and neighbours equal what the extract vectors and the run's files give;
    /// the UMAP position lies within the run's map; `/api/concept` and `/api/neighbors` then answer the term.
    // MARK: - The outputs

    /// Equal up to one unit in the last place or so (JSONSerialization on Linux reads some doubles one ulp off).
    static func close(_ x: [Double], _ y: [Double]) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy { abs($0 - $1) <= 1e-12 * max(abs($0), abs($1)) }
    }

    /// A run concept's outputs are the run's `next_tokens_<v>.csv` rows and `tables/next_token` rows; a live term's
    /// are what `extract --next-token --logit-lens 10` writes for it alone, and its pairs' JS is computed here from
    /// `extract`'s logits.
    @Test func outputsAreTheRunsAndExtractsNextTokens() async throws {
        let run = try LiveFixtureRun.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        let server = try Self.server(run)
        func tokens(_ list: Any?) throws -> [(Int, Int, Double)] {
            try #require(list as? [[String: Any]]).map {
                ($0["rank"] as? Int ?? 0, $0["token_id"] as? Int ?? -1, ($0["prob"] as? NSNumber)?.doubleValue ?? .nan)
            }
        }
        let known = try LiveFixtureRun.terms()[3].0
        let (status, body) = try await Self.get(
            "/api/outputs/\(known.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? known)",
            from: server)
        #expect(status == .ok, "\(body)")
        let variants = try #require(body["variants"] as? [[String: Any]])
        #expect(variants.map { $0["variant"] as? String } == LiveFixtureRun.variants)
        for v in variants {
            let name = try #require(v["variant"] as? String)
            let stored = try TableFile.readCSV(
                LogitLensRow.self, at: run.appendingPathComponent("next_tokens_\(name).csv")
            )
            .filter { $0.term == known }
            let got = try tokens(v["next_tokens"])
            #expect(got.count == 10 && got.map(\.1) == stored.map(\.tokenID))
            #expect(Self.close(got.map(\.2), stored.map(\.probability)))
        }
        let pairs = try #require(body["pairs"] as? [[String: Any]])
        #expect(pairs.count == 3)
        // Each pair's lens divergence by layer: the run's tables/logit_lens_divergence rows for the concept.
        let divergence = try TableFile.readCSV(
            LensDivergenceRow.self, at: run.appendingPathComponent("tables/logit_lens_divergence.csv")
        )
        .filter { $0.divergence.term == known }
        for pair in pairs {
            let lens = try #require(pair["lens"] as? [[String: Any]], "\(pair)")
            let rows = divergence.filter {
                $0.divergence.variantA == pair["variant_a"] as? String
                    && $0.divergence.variantB == pair["variant_b"] as? String
            }
            #expect(lens.map { $0["layer"] as? Int ?? -1 } == rows.map(\.layer).sorted() && !rows.isEmpty)
            #expect(
                Self.close(
                    lens.map { ($0["js"] as? NSNumber)?.doubleValue ?? .nan },
                    rows.sorted { $0.layer < $1.layer }.map(\.divergence.js)))
        }

        let (embedded, _) = try await Self.post(#"{"term": "volcano"}"#, to: server)
        #expect(embedded == .ok)
        let (liveStatus, live) = try await Self.get("/api/outputs/volcano", from: server)
        #expect(liveStatus == .ok && live["live"] as? Bool == true, "\(live)")
        let reference = try LiveFixtureRun.folder.get().appendingPathComponent("reference-single")
        var logits: [String: [Float]] = [:]
        for v in try #require(live["variants"] as? [[String: Any]]) {
            let name = try #require(v["variant"] as? String)
            let next = try TableFile.readCSV(
                LogitLensRow.self, at: reference.appendingPathComponent("next_tokens_\(name).csv"))
            #expect(try tokens(v["next_tokens"]).map(\.1) == next.map(\.tokenID))
            #expect(Self.close(try tokens(v["next_tokens"]).map(\.2), next.map(\.probability)))
            let lens = try TableFile.readCSV(
                LogitLensRow.self, at: reference.appendingPathComponent("logit_lens_\(name).csv"))
            let layers = try #require(v["lens"] as? [[String: Any]])
            #expect(layers.map { $0["layer"] as? Int ?? -1 } == Array(Set(lens.map(\.layer))).sorted())
            for layer in layers {
                let expected = lens.filter { $0.layer == layer["layer"] as? Int }
                #expect(try tokens(layer["tokens"]).map(\.1) == expected.map(\.tokenID))
            }
            logits[name] = try NumpyArray(contentsOf: reference.appendingPathComponent("logits_\(name).npy"))
                .floatValues()
        }
        for pair in try #require(live["pairs"] as? [[String: Any]]) {
            let nameA = try #require(pair["variant_a"] as? String)
            let nameB = try #require(pair["variant_b"] as? String)
            let a = try #require(logits[nameA])
            let b = try #require(logits[nameB])
            func softmax(_ x: [Float]) -> [Double] {
                let m = Double(x.max() ?? 0)
                let e = x.map { Foundation.exp(Double($0) - m) }
                let total = e.reduce(0, +)
                return e.map { $0 / total }
            }
            let (p, q) = (softmax(a), softmax(b))
            var js = 0.0
            for i in p.indices {
                let m = (p[i] + q[i]) / 2
                if p[i] > 0 { js += 0.5 * p[i] * Foundation.log(p[i] / m) }
                if q[i] > 0 { js += 0.5 * q[i] * Foundation.log(q[i] / m) }
            }
            let got = try #require((pair["js"] as? NSNumber)?.doubleValue)
            #expect(abs(got - js) <= 1e-9 * max(js, 1e-12) + 1e-15, "\(got) vs \(js)")
        }
    }

    @Test func embedAnswersFromTheModelsVectors() async throws {
        let run = try LiveFixtureRun.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        let server = try Self.server(run)
        let term = LiveFixtureRun.singleTerm
        let (status, body) = try await Self.post(#"{"term": "  volcano "}"#, to: server)
        #expect(status == .ok, "\(body)")
        #expect(body["term"] as? String == term)
        #expect(body["live"] as? Bool == true)
        #expect(body["cached"] as? Bool == false)
        let layer = try #require(body["layer"] as? Int)
        #expect(layer == server.index.data.headlineLayer)
        let layers = try Self.manifestLayers(run, "base")
        let position = try #require(layers.firstIndex(of: layer))
        var reference: [String: [Float]] = [:]
        for v in LiveFixtureRun.variants {
            // extract of this term alone: bit-identical to the live vectors (previous test).
            reference[v] = Self.vector(try LiveFixtureRun.single(v), position: position, row: 0)
        }
        let table = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: run.appendingPathComponent("tables/concept_drift.json")))
                as? [[String: Any]])
        let pairs = try #require(body["pairs"] as? [[String: Any]])
        #expect(pairs.count == 3)
        for pair in pairs {
            let a = try #require(pair["variant_a"] as? String), b = try #require(pair["variant_b"] as? String)
            let expected = 1 - Self.cosine(try #require(reference[a]), try #require(reference[b]))
            let got = try #require((pair["cosine_distance"] as? NSNumber)?.doubleValue)
            #expect(abs(got - expected) <= 1e-9, "\(a)→\(b): \(got) vs \(expected)")
            // Percentile: the share of the run's concepts drifting less (ties half), from the table.
            let run = table.filter {
                $0["variant_a"] as? String == a && $0["variant_b"] as? String == b && $0["layer"] as? Int == layer
            }.compactMap { ($0["cosine_distance"] as? NSNumber)?.doubleValue }
            #expect(run.count == 22)
            let below = Double(run.filter { $0 < got }.count), tied = Double(run.filter { $0 == got }.count)
            let percentile = try #require((pair["percentile"] as? NSNumber)?.doubleValue)
            #expect(abs(percentile - (below + tied / 2) / Double(run.count) * 100) <= 1e-9)
        }
        // Neighbours: the 10 run concepts most cosine-similar to the extract vector, from hidden_<v>.npy.
        let concepts = try LiveFixtureRun.terms().map(\.0)
        let neighbors = try #require(body["neighbors"] as? [[String: Any]])
        #expect(neighbors.map { $0["variant"] as? String } == LiveFixtureRun.variants)
        for entry in neighbors {
            let v = try #require(entry["variant"] as? String)
            let stored = try LiveFixtureRun.stored(v)
            let x = try #require(reference[v])
            let similarities = concepts.indices.map { Self.cosine(x, Self.vector(stored, position: position, row: $0)) }
            let order = concepts.indices.sorted {
                similarities[$0] != similarities[$1] ? similarities[$0] > similarities[$1] : $0 < $1
            }
            let list = try #require(entry["neighbors"] as? [[String: Any]])
            #expect(list.map { $0["neighbor"] as? String } == order.prefix(10).map { concepts[$0] })
            for (n, item) in list.enumerated() {
                let got = try #require((item["similarity"] as? NSNumber)?.doubleValue)
                #expect(abs(got - similarities[order[n]]) <= 1e-9)
                #expect(item["rank"] as? Int == n + 1)
            }
        }
        // UMAP: one finite point per variant, inside the run's map (enlarged by a quarter of its extent).
        let umap = try #require(body["umap"] as? [[String: Any]])
        #expect(umap.map { $0["name"] as? String } == LiveFixtureRun.variants)
        var xs: [Float] = [], ys: [Float] = []
        for v in LiveFixtureRun.variants {
            let coords = try NumpyArray(contentsOf: run.appendingPathComponent("umap_\(v).npy")).floatValues()
            for i in stride(from: 0, to: coords.count, by: 2) {
                xs.append(coords[i])
                ys.append(coords[i + 1])
            }
        }
        let (x0, x1, y0, y1) = (
            Double(xs.min() ?? 0), Double(xs.max() ?? 0), Double(ys.min() ?? 0), Double(ys.max() ?? 0)
        )
        for entry in umap {
            let point = try #require((entry["points"] as? [[Any]])?.first)
            let x = try #require((point[0] as? NSNumber)?.doubleValue),
                y = try #require((point[1] as? NSNumber)?.doubleValue)
            #expect(x >= x0 - (x1 - x0) / 4 && x <= x1 + (x1 - x0) / 4, "x \(x) outside \(x0)…\(x1)")
            #expect(y >= y0 - (y1 - y0) / 4 && y <= y1 + (y1 - y0) / 4, "y \(y) outside \(y0)…\(y1)")
        }

        // The concept and neighbour endpoints now answer the term, from the cache.
        let (cStatus, concept) = try await Self.get("/api/concept/volcano?pair=base,nf4&layer=\(layer)", from: server)
        #expect(cStatus == .ok, "\(concept)")
        #expect(concept["live"] as? Bool == true)
        #expect(concept["category"] as? String == "live")
        let expected = 1 - Self.cosine(try #require(reference["base"]), try #require(reference["nf4"]))
        #expect(abs(((concept["cosine_distance"] as? NSNumber)?.doubleValue ?? .nan) - expected) <= 1e-9)
        #expect((concept["projection"] as? [Any])?.count == 3)
        #expect((concept["layers"] as? [Any])?.count == server.index.data.layers.count)
        let (nStatus, nbrs) = try await Self.get("/api/neighbors/volcano?variant=bf16&k=5", from: server)
        #expect(nStatus == .ok)
        let bf16 = try #require(
            neighbors.first { $0["variant"] as? String == "bf16" }?["neighbors"] as? [[String: Any]])
        #expect(
            (nbrs["neighbors"] as? [[String: Any]])?.map { $0["neighbor"] as? String }
                == bf16.prefix(5).map { $0["neighbor"] as? String })
        // /api/run says live; an unknown, never embedded term is still a 404 with suggestions.
        #expect(try await Self.get("/api/run", from: server).1["live"] as? Bool == true)
        let (uStatus, unknown) = try await Self.get("/api/concept/Franc", from: server)
        #expect(uStatus == .notFound)
        #expect((unknown["suggestions"] as? [String])?.first == "France")
    }

    // MARK: - The cache

    /// The cache file is the only file written, complete JSON with no temporary file left, and a restarted server
    /// answers from it without running the models.
    @Test func cacheIsWrittenAtomicallyAndReusedOnRestart() async throws {
        let run = try LiveFixtureRun.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        let before = try FolderSnapshot.files(in: run)
        let first = try Self.server(run)
        let (status, body) = try await Self.post(#"{"term": "glacier"}"#, to: first)
        #expect(status == .ok)
        #expect(body["cached"] as? Bool == false)
        let after = try FolderSnapshot.files(in: run)
        #expect(Set(after.keys).subtracting(before.keys) == ["/live_cache.json"])
        for (path, data) in before { #expect(after[path] == data, "\(path) changed") }
        let cache = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("live_cache.json")))
                as? [String: Any])
        #expect(cache["format"] as? String == "embedding-drift-live-cache")
        #expect((cache["terms"] as? [[String: Any]])?.map { $0["term"] as? String } == ["glacier"])

        // Restart: the concept answers at once (no POST), and POST says cached with the same figures.
        let second = try Self.server(run)
        #expect(second.live?.cache.count == 1)
        let (cStatus, concept) = try await Self.get("/api/concept/glacier", from: second)
        #expect(cStatus == .ok)
        #expect(concept["live"] as? Bool == true)
        let (again, reused) = try await Self.post(#"{"term": "glacier"}"#, to: second)
        #expect(again == .ok)
        #expect(reused["cached"] as? Bool == true)
        for key in ["pairs", "neighbors", "umap"] {
            #expect(
                try JSONSerialization.data(withJSONObject: reused[key] as Any, options: .sortedKeys)
                    == JSONSerialization.data(withJSONObject: body[key] as Any, options: .sortedKeys), "\(key)")
        }
        // A cache of another analysis is ignored, not trusted.
        var stale = cache
        stale["run"] = "another analysis"
        try JSONSerialization.data(withJSONObject: stale).write(to: run.appendingPathComponent("live_cache.json"))
        #expect(try Self.server(run).live?.cache.count == 0)
    }

    /// Without `--live` nothing is written, whatever is asked.
    @Test func readOnlyServerWritesNothing() async throws {
        let run = try LiveFixtureRun.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        let before = try FolderSnapshot.files(in: run)
        let server = try Self.server(run, live: false)
        for uri in [
            "/", "/api/run", "/api/concepts", "/api/concept/water", "/api/neighbors/water?variant=base",
            "/api/umap", "/api/categories", "/api/concept/volcano",
        ] {
            _ = try await server.application().test(.router) { client in
                try await client.execute(uri: uri, method: .get) { $0.status }
            }
        }
        let (status, body) = try await Self.post(#"{"term": "volcano"}"#, to: server)
        #expect(status == .notFound)
        #expect((body["error"] as? String)?.contains("--live") == true)
        #expect(try FolderSnapshot.files(in: run) == before)
    }

    /// A model whose files no longer match the manifest's hash is refused at start (its vectors would not be
    /// comparable with the run's).
    @Test func changedModelIsRefused() throws {
        let run = try LiveFixtureRun.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        let file = run.appendingPathComponent("manifest.json")
        var manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var entries = try #require(manifest["variants"] as? [[String: Any]])
        entries[1]["model_files_sha256"] = String(repeating: "0", count: 64)
        manifest["variants"] = entries
        try JSONSerialization.data(withJSONObject: manifest).write(to: file)
        let error = #expect(throws: DriftError.self) { _ = try Self.server(run) }
        #expect(
            error?.description.contains("changed since the run was extracted") == true, "\(String(describing: error))")
    }

    // MARK: - Bad requests, time-outs, concurrency

    @Test(arguments: [
        ("not json", 400), ("{}", 400), (#"{"term": ""}"#, 400), (#"{"term": "   "}"#, 400),
        (#"{"term": "a\nb"}"#, 400), (#"{"term": 7}"#, 400),
        (#"{"term": ""# + String(repeating: "x", count: 201) + #""}"#, 400),
        (#"{"term": "volcano", "layer": 99}"#, 400), (#"{"term": "volcano", "k": 0}"#, 400),
        (#"{"term": ""# + String(repeating: "x", count: 5_000) + #""}"#, 413),
    ])
    func badBodiesAreRefusedWithAMessage(body: String, status: Int) async throws {
        let server = try Self.server(try LiveFixtureRun.run)
        let (got, answer) = try await Self.post(body, to: server)
        #expect(got.code == status, "\(body.prefix(40)): \(got)")
        #expect(!((answer["error"] as? String) ?? "").isEmpty)
    }

    /// A request that waits longer than the timeout gets a 503 saying so; the term is still embedded and cached.
    @Test func slowModelsGiveA503AndTheTermIsCachedAnyway() async throws {
        let run = try LiveFixtureRun.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        let server = try Self.server(run, timeout: 1e-6)
        let (status, body) = try await Self.post(#"{"term": "tundra"}"#, to: server)
        #expect(status == .serviceUnavailable)
        #expect((body["error"] as? String)?.contains("try again") == true)
        let live = try #require(server.live)
        for _ in 0..<600 where live.cache.record("tundra") == nil { try await Task.sleep(for: .milliseconds(50)) }
        let (again, cached) = try await Self.post(#"{"term": "tundra"}"#, to: server)
        #expect(again == .ok)
        #expect(cached["cached"] as? Bool == true)
    }

    /// 16 parallel requests for one new term and 8 for four others, over real connections: all succeed, each term's
    /// answers agree, the models ran once per term, and the cache file parses whenever it is read meanwhile.
    @Test func parallelEmbedsAllSucceedAndAgree() async throws {
        let run = try LiveFixtureRun.copy()
        defer { try? FileManager.default.removeItem(at: run) }
        let server = try Self.server(run)
        let terms =
            Array(repeating: "harbour", count: 16)
            + ["lantern", "Tokyo", "volcano", "glacier"].flatMap { [$0, $0] }
        let cacheFile = run.appendingPathComponent("live_cache.json")
        let stop = Messages()
        let reader = Task {
            var reads = 0
            while stop.all.isEmpty {
                if let data = try? Data(contentsOf: cacheFile) {
                    #expect((try? JSONSerialization.jsonObject(with: data)) != nil, "a torn cache file")
                    reads += 1
                }
                try? await Task.sleep(for: .milliseconds(1))
            }
            return reads
        }
        let answers = try await server.application().test(.ahc(.http)) { client in
            try await withThrowingTaskGroup(of: (String, HTTPResponse.Status, Data).self) { group in
                for term in terms {
                    group.addTask {
                        try await client.execute(
                            uri: "/api/embed", method: .post, headers: [.contentType: "application/json"],
                            body: ByteBuffer(string: #"{"term": "\#(term)"}"#)
                        ) { response in (term, response.status, Data(String(buffer: response.body).utf8)) }
                    }
                }
                var all: [(String, HTTPResponse.Status, Data)] = []
                for try await answer in group { all.append(answer) }
                return all
            }
        }.map { ($0.0, $0.1, (try? JSONSerialization.jsonObject(with: $0.2)) as? [String: Any] ?? [:]) }
        stop.append("stop")
        #expect(await reader.value > 0, "the cache file was never read during the requests")
        #expect(answers.count == terms.count)
        for (term, status, body) in answers {
            #expect(status == .ok, "\(term): \(body)")
        }
        for term in Set(terms) {
            let bodies = answers.filter { $0.0 == term }.map { answer in
                try? JSONSerialization.data(
                    withJSONObject: answer.2.filter { $0.key != "cached" && $0.key != "seconds" }, options: .sortedKeys)
            }
            #expect(Set(bodies).count == 1, "\(term): \(Set(bodies).count) different answers")
        }
        #expect(server.live?.cache.count == 5)
        for model in server.live?.models ?? [] {
            let passes = await model.passes
            #expect(passes == 5, "\(model.reference): \(passes) forward passes for 5 terms")
        }
        let cache = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: cacheFile)) as? [String: Any])
        #expect(Set((cache["terms"] as? [[String: Any]])?.compactMap { $0["term"] as? String } ?? []) == Set(terms))
    }
}
