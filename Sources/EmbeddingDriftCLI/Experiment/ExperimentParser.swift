import DriftAnalysis
import DriftCore
import DriftModels
import Foundation
import Yams

/// Reads an experiment file (YAML) into an ``Experiment``, refusing unknown keys, repeated keys and values of the
/// wrong type with the line and column of the offending node.
///
/// Relative paths (the output, a vocabulary file, a model folder or `.gguf` file) are resolved against the folder
/// of the file; `~` is expanded; `hf:` hub ids are kept as written.
struct ExperimentParser {
    /// The file read (for messages and relative paths).
    var file: URL

    /// Every key the top level accepts.
    static let topKeys = [
        "output", "vocabulary", "variants", "checkpoints", "series", "template", "templates", "layers", "pooling",
        "batch_tokens", "special_tokens", "prefix_sharing", "max_memory", "analysis", "umap", "shard", "next_token",
        "logit_lens",
    ]
    static let variantKeys = ["name", "model", "scheme", "revision"]
    static let checkpointKeys = ["model", "revisions", "names", "scheme"]
    static let analysisKeys = ["k", "seed", "bootstrap", "permutations", "covariates"]
    static let umapKeys = ["enabled", "epochs"]
    /// The limits of the counts a file sets (`analysis.k`, `bootstrap`, `permutations`, `umap.epochs`): the
    /// library's, so that a file and the equivalent flags are refused alike.
    typealias Limits = RunAnalysis.Options

    /// Reads and parses the experiment file at `url`.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file (and the line) when it is missing, not YAML, or not a
    ///   valid experiment.
    static func load(_ url: URL) throws -> Experiment {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw DriftError(.missing, "cannot read the experiment file: \(error.localizedDescription)", path: url.path)
        }
        return try ExperimentParser(file: url).parse(text)
    }

    /// Parses the YAML `text`.
    func parse(_ text: String) throws -> Experiment {
        try ExperimentFileLimits.check(text, path: file.path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw DriftError(.corruptFile, "not valid YAML: \(error)", path: file.path)
        }
        guard let root else { throw DriftError(.invalidArgument, "the experiment file is empty", path: file.path) }
        let top = try mapping(root, allowed: Self.topKeys, what: "the experiment")
        guard let outputNode = top["output"] else {
            throw fail(root, "missing key 'output' (the run directory to write)")
        }
        var experiment = Experiment(output: resolve(try string(outputNode, "output")), variants: [])
        if let node = top["vocabulary"] {
            let value = try string(node, "vocabulary")
            experiment.vocabulary = Vocabulary.bundledNames.contains(value) ? value : resolve(value)
        }
        switch (top["variants"], top["checkpoints"]) {
        case (let node?, nil):
            experiment.variants = try variants(node)
        case (nil, let node?):
            experiment.variants = try checkpoints(node)
            experiment.series = true
        case (_?, let node?):
            throw fail(node, "give either 'variants' or 'checkpoints', not both")
        case (nil, nil):
            throw fail(root, "missing key 'variants' (two or more models) or 'checkpoints' (one model at revisions)")
        }
        if let node = top["series"] { experiment.series = try bool(node, "series") || experiment.series }
        if let node = top["template"] {
            let value = try string(node, "template")
            do { _ = try PromptTemplate(value) } catch let error as DriftError { throw fail(node, error.message) }
            experiment.template = value
        }
        if let node = top["templates"] {
            experiment.templates = try sequence(node, "templates").map { item in
                let value = try string(item, "a template")
                guard !value.contains("|") else { throw fail(item, "a template cannot contain '|'") }
                do { _ = try PromptTemplate(value) } catch let error as DriftError { throw fail(item, error.message) }
                return value
            }
            guard experiment.templates.count >= 2 else {
                throw fail(node, "'templates' (the noise floor's paraphrases) needs at least two templates")
            }
        }
        if let node = top["layers"] {
            let value: String
            if case .sequence = node {
                value = try sequence(node, "layers").map { String(try int(($0), "a layer index")) }.joined(
                    separator: ",")
            } else if isTag(node, .int) {
                value = String(try int(node, "layers"))
            } else {
                value = try string(node, "layers")
            }
            do { _ = try LayerSelection(parsing: value) } catch let error as DriftError {
                throw fail(node, error.message)
            }
            experiment.layers = value
        }
        if let node = top["pooling"] {
            let value = try string(node, "pooling")
            guard Pooling(rawValue: value) != nil else {
                throw fail(
                    node,
                    "unknown pooling '\(value)'; use \(Pooling.allCases.map(\.rawValue).joined(separator: " or "))")
            }
            experiment.pooling = value
        }
        if let node = top["batch_tokens"] { experiment.batchTokens = try int(node, "batch_tokens", minimum: 1) }
        if let node = top["special_tokens"] { experiment.specialTokens = try bool(node, "special_tokens") }
        if let node = top["prefix_sharing"] { experiment.prefixSharing = try bool(node, "prefix_sharing") }
        if let node = top["max_memory"], !isTag(node, .null) {
            let value = try string(node, "max_memory")
            do { _ = try MemoryBudget(parsing: value) } catch let error as DriftError {
                throw fail(node, error.message)
            }
            experiment.maxMemory = value
        }
        if let node = top["shard"], !isTag(node, .null) {
            let value = try string(node, "shard")
            do { _ = try VocabularyShard(parsing: value) } catch let error as DriftError {
                throw fail(node, error.message)
            }
            experiment.shard = value
        }
        if let node = top["next_token"], !isTag(node, .null) { experiment.nextToken = try bool(node, "next_token") }
        if let node = top["logit_lens"], !isTag(node, .null) {
            experiment.logitLens = try int(node, "logit_lens", minimum: 1, maximum: ReadoutOptions.maxLogitLens)
        }
        // Asked for, both read the last prompt token's state (as `--next-token`/`--logit-lens` with `--pooling`).
        if let pooling = experiment.pooling, pooling != Pooling.last.rawValue {
            let asked = [("next_token", experiment.nextToken == true), ("logit_lens", experiment.logitLens != nil)]
            for (key, isAsked) in asked where isAsked {
                if let node = top[key] {
                    throw fail(node, "'\(key)' reads the last prompt token's state; use pooling: last (got \(pooling))")
                }
            }
        }
        if let node = top["analysis"] {
            let analysis = try mapping(node, allowed: Self.analysisKeys, what: "analysis")
            if let n = analysis["k"] { experiment.k = try int(n, "k", minimum: 1, maximum: Limits.maxNeighbors) }
            if let n = analysis["seed"] { experiment.seed = UInt64(try int(n, "seed", minimum: 0)) }
            if let n = analysis["bootstrap"] {
                experiment.bootstrap = try int(n, "bootstrap", minimum: 1, maximum: Limits.maxResamples)
            }
            if let n = analysis["permutations"] {
                experiment.permutations = try int(n, "permutations", minimum: 1, maximum: Limits.maxPermutations)
            }
            if let n = analysis["covariates"] { experiment.covariates = try string(n, "covariates") }
        }
        if let node = top["umap"] {
            let umap = try mapping(node, allowed: Self.umapKeys, what: "umap")
            if let n = umap["enabled"] { experiment.umap = try bool(n, "umap.enabled") }
            if let n = umap["epochs"], !isTag(n, .null) {
                experiment.umapEpochs = try int(n, "umap.epochs", minimum: 1, maximum: Limits.maxUMAPEpochs)
            }
        }
        return experiment
    }

    // MARK: - Variants

    func variants(_ node: Node) throws -> [Experiment.Variant] {
        let items = try sequence(node, "variants")
        guard items.count >= 2 else { throw fail(node, "'variants' needs at least two entries (got \(items.count))") }
        var seen = Set<String>()
        return try items.map { item in
            let fields = try mapping(item, allowed: Self.variantKeys, what: "a variant")
            guard let modelNode = fields["model"] else { throw fail(item, "this variant has no 'model'") }
            let model = try reference(
                try string(modelNode, "model"), node: modelNode,
                revision: try fields["revision"].map { try string($0, "revision") }, revisionNode: fields["revision"],
                scheme: fields["scheme"])
            let name = try fields["name"].map { try string($0, "name") } ?? Self.defaultName(model)
            do { try ExtractionWriter.validate(name: name) } catch let error as DriftError {
                throw fail(fields["name"] ?? item, error.message)
            }
            guard seen.insert(name).inserted else {
                throw fail(fields["name"] ?? item, "the variant name '\(name)' is given twice")
            }
            return Experiment.Variant(name: name, model: model)
        }
    }

    /// `checkpoints: {model: hf:org/name, revisions: [a, b, …], names: [...]?, scheme: ...?}`: one variant per
    /// revision, in order (a checkpoint series).
    func checkpoints(_ node: Node) throws -> [Experiment.Variant] {
        let fields = try mapping(node, allowed: Self.checkpointKeys, what: "checkpoints")
        guard let modelNode = fields["model"], let revisionsNode = fields["revisions"] else {
            throw fail(node, "'checkpoints' needs 'model' (an hf: id) and 'revisions' (a list, in time order)")
        }
        let model = try string(modelNode, "model")
        let revisions = try sequence(revisionsNode, "revisions")
        guard revisions.count >= 2 else {
            throw fail(revisionsNode, "'revisions' needs at least two revisions (got \(revisions.count))")
        }
        let names = try fields["names"].map { n in try sequence(n, "names").map { try string($0, "a name") } }
        if let names, names.count != revisions.count, let n = fields["names"] {
            throw fail(n, "'names' has \(names.count) entries for \(revisions.count) revisions")
        }
        var seen = Set<String>()
        return try revisions.enumerated().map { index, item in
            let revision = try string(item, "a revision")
            let reference = try self.reference(
                model, node: modelNode, revision: revision, revisionNode: item, scheme: fields["scheme"])
            let name = names?[index] ?? Self.sanitized(revision)
            do { try ExtractionWriter.validate(name: name) } catch let error as DriftError {
                throw fail(fields["names"] ?? item, error.message)
            }
            guard seen.insert(name).inserted else { throw fail(item, "the variant name '\(name)' is given twice") }
            return Experiment.Variant(name: name, model: reference)
        }
    }

    /// The model reference: `model` (a path resolved against the file's folder, or an `hf:` id), with
    /// `#revision` and `@scheme` appended.
    func reference(_ model: String, node: Node, revision: String?, revisionNode: Node?, scheme schemeNode: Node?) throws
        -> String
    {
        var text = model.hasPrefix(ModelReference.hubPrefix) ? model : resolve(model)
        if let revision, let revisionNode {
            guard model.hasPrefix(ModelReference.hubPrefix) else {
                throw fail(revisionNode, "a revision needs a hub id (hf:owner/name); '\(model)' is a local path")
            }
            guard !model.contains("#") else { throw fail(revisionNode, "the model already names a revision with '#'") }
            text += "#" + revision
        }
        if let schemeNode {
            let scheme = try string(schemeNode, "scheme").lowercased()
            guard QuantizationScheme(rawValue: scheme) != nil else {
                throw fail(
                    schemeNode,
                    "unknown quantization scheme '\(scheme)'; known: \(QuantizationScheme.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            if let at = model.lastIndex(of: "@"), !model[at...].contains("/") {
                throw fail(schemeNode, "the model already names a scheme with '@'")
            }
            text += "@" + scheme
        }
        return text
    }

    /// A variant name from a model reference: its last path component (with `-<scheme>`).
    static func defaultName(_ model: String) -> String {
        var base = model
        var scheme: String?
        if let at = base.lastIndex(of: "@"), !base[at...].contains("/") {
            scheme = String(base[base.index(after: at)...])
            base = String(base[..<at])
        }
        if let hash = base.firstIndex(of: "#") {
            let revision = base[base.index(after: hash)...]
            base = String(base[..<hash]) + "-" + revision
        }
        base = URL(fileURLWithPath: base).lastPathComponent
        for suffix in [".gguf", ".safetensors"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        return sanitized(base + (scheme.map { "-" + $0 } ?? ""))
    }

    /// `text` with every character a variant name cannot hold replaced by `-`.
    static func sanitized(_ text: String) -> String {
        var name = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { s in
                    ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
                        || "._-".unicodeScalars.contains(s) ? s : "-"
                }))
        while name.hasPrefix(".") { name.removeFirst() }
        return name.isEmpty ? "model" : String(name.prefix(100))
    }

    /// `path` with `~` expanded and, when relative, resolved against the experiment file's folder.
    func resolve(_ path: String) -> String {
        let expanded = NSString(string: path).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return file.deletingLastPathComponent().appendingPathComponent(expanded).standardizedFileURL.path
    }

    // MARK: - Typed access with positions

    func fail(_ node: Node, _ message: String) -> DriftError {
        let position = node.mark.map { "line \($0.line), column \($0.column): " } ?? ""
        return DriftError(.invalidArgument, position + message, path: file.path)
    }

    func isTag(_ node: Node, _ name: Tag.Name) -> Bool { node.tag.description == name.rawValue }

    func typeName(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar:
            for (name, label) in [
                (Tag.Name.null, "null"), (Tag.Name.bool, "a boolean"), (Tag.Name.int, "an integer"),
                (Tag.Name.float, "a number"), (Tag.Name.str, "text"),
            ] where isTag(node, name) { return label }
            return "a \(node.tag.description) value"
        }
    }

    /// The mapping's entries by key, after checking that every key is allowed and none repeats.
    func mapping(_ node: Node, allowed: [String], what: String) throws -> [String: Node] {
        guard case .mapping(let mapping) = node else {
            throw fail(
                node, "\(what) must be a mapping of keys (\(allowed.joined(separator: ", "))), not \(typeName(node))")
        }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else { throw fail(key, "a key must be text") }
            let name = scalar.string
            guard allowed.contains(name) else {
                throw fail(key, "unknown key '\(name)' in \(what); known keys: \(allowed.joined(separator: ", "))")
            }
            guard result[name] == nil else { throw fail(key, "the key '\(name)' is given twice") }
            result[name] = value
        }
        return result
    }

    func sequence(_ node: Node, _ key: String) throws -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw fail(node, "'\(key)' must be a list, not \(typeName(node))")
        }
        return Array(sequence)
    }

    /// Text; an integer or number is taken as written (a revision `1000`), anything else is refused.
    func string(_ node: Node, _ key: String) throws -> String {
        guard case .scalar(let scalar) = node, isTag(node, .str) || isTag(node, .int) || isTag(node, .float) else {
            throw fail(node, "'\(key)' must be text, not \(typeName(node))")
        }
        return scalar.string
    }

    func int(_ node: Node, _ key: String, minimum: Int? = nil, maximum: Int? = nil) throws -> Int {
        guard isTag(node, .int), let value = node.int else {
            throw fail(node, "'\(key)' must be an integer, not \(typeName(node))")
        }
        if let minimum, value < minimum { throw fail(node, "'\(key)' must be at least \(minimum) (got \(value))") }
        if let maximum, let problem = Limits.countProblem(value, "'\(key)'", minimum ?? .min, maximum) {
            throw fail(node, problem)
        }
        return value
    }

    func bool(_ node: Node, _ key: String) throws -> Bool {
        guard isTag(node, .bool), let value = node.bool else {
            throw fail(node, "'\(key)' must be true or false, not \(typeName(node))")
        }
        return value
    }
}
