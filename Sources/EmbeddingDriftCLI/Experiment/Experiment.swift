import Foundation

/// An experiment file's settings (`embedding-drift run experiment.yaml`): exactly the arguments of one `compare`
/// run, read by ``ExperimentParser``.
///
/// Only what the file sets becomes a flag, so every setting it leaves out keeps `compare`'s own default, and
/// ``request()`` builds the same run as typing ``commandLine``.
struct Experiment: Equatable {
    /// One variant: its name and the model reference (`path`, `path@scheme`, `hf:owner/name#revision@scheme`).
    struct Variant: Equatable {
        var name: String
        var model: String
    }

    /// `--out` (resolved against the file's folder).
    var output: String
    /// `--vocab`: `seed-235` or a file (resolved against the file's folder).
    var vocabulary: String?
    /// The variants, in order.
    var variants: [Variant]
    /// `--series`.
    var series = false
    /// `--template`.
    var template: String?
    /// `--templates` (joined with `|`).
    var templates: [String] = []
    /// `--layers`.
    var layers: String?
    /// `--pooling`.
    var pooling: String?
    /// `--batch-tokens`.
    var batchTokens: Int?
    /// `--no-special-tokens` when false.
    var specialTokens = true
    /// `--no-prefix-sharing` when false.
    var prefixSharing = true
    /// `--max-memory`.
    var maxMemory: String?
    /// `--k`.
    var k: Int?
    /// `--seed`.
    var seed: UInt64?
    /// `--bootstrap`.
    var bootstrap: Int?
    /// `--permutations`.
    var permutations: Int?
    /// `--covariates` (comma-separated names or `none`).
    var covariates: String?
    /// `--no-umap` when false.
    var umap = true
    /// `--umap-epochs`.
    var umapEpochs: Int?
    /// `--shard`.
    var shard: String?
    /// `--next-token` when true, `--no-next-token` when false; nil keeps `compare`'s default (on for causal models
    /// with last pooling).
    var nextToken: Bool?
    /// `--logit-lens`.
    var logitLens: Int?

    /// The `compare` arguments (without the subcommand name) of this experiment.
    var compareArguments: [String] {
        var arguments = variants.map { "\($0.name)=\($0.model)" }
        func add(_ flag: String, _ value: String?) {
            if let value { arguments += [flag, value] }
        }
        add("--vocab", vocabulary)
        arguments += ["--out", output]
        add("--template", template)
        add("--layers", layers)
        add("--pooling", pooling)
        add("--batch-tokens", batchTokens.map(String.init))
        if !specialTokens { arguments.append("--no-special-tokens") }
        if !prefixSharing { arguments.append("--no-prefix-sharing") }
        add("--templates", templates.isEmpty ? nil : templates.joined(separator: "|"))
        add("--max-memory", maxMemory)
        add("--shard", shard)
        if let nextToken { arguments.append(nextToken ? "--next-token" : "--no-next-token") }
        add("--logit-lens", logitLens.map(String.init))
        add("--k", k.map(String.init))
        add("--seed", seed.map(String.init))
        add("--bootstrap", bootstrap.map(String.init))
        add("--permutations", permutations.map(String.init))
        add("--covariates", covariates)
        if !umap { arguments.append("--no-umap") }
        add("--umap-epochs", umapEpochs.map(String.init))
        if series { arguments.append("--series") }
        return arguments
    }

    /// The equivalent command line, shell-quoted.
    var commandLine: String {
        (["embedding-drift", "compare"] + compareArguments).map(Self.shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./=:@,+#%".unicodeScalars.contains($0)
        }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
