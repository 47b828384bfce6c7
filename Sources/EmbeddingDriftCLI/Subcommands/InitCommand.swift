import ArgumentParser
import DriftCore
import DriftModels
import Foundation

/// `embedding-drift init [path]`: write a commented example experiment file.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented example experiment file for `embedding-drift run` (never overwrites).")

    @Argument(help: ArgumentHelp("Where to write it.", valueName: "path"))
    var path: String = "experiment.yaml"

    func run() throws {
        let url = URL(fileURLWithPath: path)
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw DriftError(
                .invalidArgument, "a file is already here; init never overwrites (choose another path)", path: url.path)
        }
        try AtomicFile.write(Self.example, to: url)
        print("wrote \(url.path); edit it, then: embedding-drift run \(path)")
    }

    /// The example: every key with compare's default, and what it means.
    static var example: String {
        """
        # An embedding-drift experiment: `embedding-drift run experiment.yaml` runs it exactly as `compare` with the
        # equivalent flags (`embedding-drift run experiment.yaml --print-command` shows them). Relative paths are
        # relative to this file's folder. Unknown keys are errors. Remove a key to get compare's default.

        output: runs/smollm2-135m            # the run directory (--out)
        vocabulary: seed-235                 # the reference study's 235 concepts, or a .json / term,category file

        # The variants, in order (two or more). A model is a checkpoint folder, a .gguf file or a Hugging Face id
        # hf:owner/name; `revision` picks a branch, tag or commit of a hub id (the same as hf:owner/name#revision);
        # `scheme` quantizes on load (the same as model@scheme: \(QuantizationScheme.allCases.map(\.rawValue).joined(separator: ", "))).
        variants:
          - name: base
            model: hf:HuggingFaceTB/SmolLM2-135M
          - name: instruct
            model: hf:HuggingFaceTB/SmolLM2-135M-Instruct
          - name: base-nf4
            model: hf:HuggingFaceTB/SmolLM2-135M
            scheme: nf4
            # revision: main

        # Instead of `variants`, a checkpoint series: one model at revisions, in time order (implies series: true).
        # checkpoints:
        #   model: hf:allenai/OLMo-1B-hf
        #   revisions: [step20000-tokens84B, step30000-tokens126B, step40000-tokens168B]
        #   # names: [s20k, s30k, s40k]      # variant names (default: the revisions)

        series: false                        # the variants are checkpoints in time order (--series)

        template: "\(PromptTemplate.default.text)"   # {term} marks where each concept goes (--template)
        # templates:                         # paraphrases for the noise floor (--templates), two or more
        #   - "The concept of {term} is"
        #   - "Consider the idea of {term}:"
        layers: all                          # all, last, or a list such as [0, 8, -1] (--layers)
        pooling: last                        # last (token) or mean (--pooling)
        batch_tokens: \(ExtractionSettings.defaultMaxBatchTokens)                    # prompt tokens per batch (--batch-tokens)
        special_tokens: true                 # false = --no-special-tokens
        prefix_sharing: true                 # false = --no-prefix-sharing (compute each prompt's opening in full)
        # max_memory: 8G                     # stream layers from disk beyond this (--max-memory)
        # shard: 0/3                         # extract only shard i of n (--shard); join with `embedding-drift merge`
        # next_token: false                  # false = --no-next-token (default: on for causal models, pooling last)
        # logit_lens: 5                      # the K most likely tokens per kept layer and concept (--logit-lens)

        analysis:
          k: 10                              # neighbours per concept (--k)
          seed: 42                           # every bootstrap, permutation and UMAP (--seed)
          bootstrap: 10000                   # resamples per confidence interval (--bootstrap)
          permutations: 10000                # permutations per category test (--permutations)

        umap:
          enabled: true                      # false = --no-umap
          # epochs: 200                      # default: umap-learn's for the size (--umap-epochs)

        """
    }
}
