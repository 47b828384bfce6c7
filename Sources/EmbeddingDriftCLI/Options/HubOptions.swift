import ArgumentParser
import DriftModels

/// `--offline`: Hugging Face Hub models come from the local cache only (shared by every command that takes a model).
struct HubOptions: ParsableArguments {
    @Flag(
        help: ArgumentHelp(
            "Never use the network for Hugging Face Hub models (hf:owner/name): only the local cache (as HF_HUB_OFFLINE=1).",
            discussion: "The cache is HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub."))
    var offline = false

    /// A resolver reading the environment (`HF_HUB_CACHE`, `HF_ENDPOINT`, `HF_TOKEN`, `HF_HUB_OFFLINE`), offline when
    /// `--offline` is given, showing its progress through `reporter`.
    func resolver(reporter: ProgressReporter) -> HubResolver {
        let display = HubProgressDisplay(reporter: reporter)
        return HubResolver(offline: offline, progress: { display.show($0) })
    }
}
