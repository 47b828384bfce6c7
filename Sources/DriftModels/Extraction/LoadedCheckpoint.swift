import DriftCore
import Foundation

/// A model ready for extraction: its tokenizer, its native forward pass and the identity of its files.
public struct LoadedCheckpoint: Sendable {
    /// What loading is doing, for a progress display.
    public enum Stage: Sendable, Equatable {
        /// Hashing the model's files for its fingerprint.
        case inspecting
        /// Reading `tokenizer.json`.
        case tokenizer
        /// `config.json` was read: the architecture and its number of blocks.
        case configuration(modelType: String, layers: Int)
        /// Block `loaded` of `total` is in memory.
        case block(loaded: Int, total: Int)
    }

    /// The model as the user gave it.
    public let path: String
    /// The checkpoint's tokenizer.
    public let tokenizer: any Tokenizer
    /// The checkpoint's forward pass.
    public let model: any HiddenStateModel
    /// The hash and weight dtype of the checkpoint's files.
    public let files: ModelFiles
    /// Seconds spent loading (hashing, tokenizer, weights).
    public let loadSeconds: Double

    /// Creates a checkpoint from parts already loaded (tests, live mode).
    public init(
        path: String, tokenizer: any Tokenizer, model: any HiddenStateModel, files: ModelFiles, loadSeconds: Double
    ) {
        self.path = path
        self.tokenizer = tokenizer
        self.model = model
        self.files = files
        self.loadSeconds = loadSeconds
    }

    /// Loads a Hugging Face checkpoint folder: `config.json`, `tokenizer.json` and safetensors weights (one file or
    /// shards), every weight converted to float32.
    ///
    /// - Parameters:
    ///   - path: the checkpoint folder.
    ///   - budget: the memory the model may use; when its float32 weights exceed it, blocks are streamed from disk
    ///     (see ``ModelLoader/model(source:budget:progress:)``).
    ///   - progress: called as loading advances (on the calling thread).
    /// - Throws: ``DriftCore/DriftError`` for a missing folder or file, an unsupported architecture or tokenizer, a
    ///   missing shard or tensor, shapes that contradict `config.json`, or a budget too small for even one block.
    public static func load(
        _ path: String, budget: MemoryBudget = .automatic, progress: (@Sendable (Stage) -> Void)? = nil
    ) throws -> LoadedCheckpoint {
        let clock = ContinuousClock()
        let start = clock.now
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DriftError(.missing, "no model here (expected a Hugging Face checkpoint folder)", path: path)
        }
        guard isDirectory.boolValue else {
            throw DriftError(
                .unsupported,
                "extraction needs a Hugging Face checkpoint folder (config.json, tokenizer.json, *.safetensors); single model files such as GGUF are not supported here yet",
                path: path)
        }
        progress?(.inspecting)
        let files = try ModelFiles.inspect(url)
        progress?(.tokenizer)
        let tokenizer = try TokenizerLoader.load(folder: url)
        let store = try SafetensorsStore(path: path)
        let model = try ModelLoader.load(folder: path, store: store, budget: budget) { stage in
            switch stage {
            case .configuration(let modelType, let layers):
                progress?(.configuration(modelType: modelType, layers: layers))
            case .block(let loaded, let total): progress?(.block(loaded: loaded, total: total))
            }
        }
        return LoadedCheckpoint(
            path: path, tokenizer: tokenizer, model: model, files: files, loadSeconds: (clock.now - start).seconds)
    }
}
