import DriftCore
import Foundation

/// Builds the right native model from a Hugging Face checkpoint folder (`config.json` + safetensors).
public enum ModelLoader {
    /// What the loader is doing, for a progress display.
    public enum Progress: Sendable, Equatable {
        /// `config.json` was read: the architecture and its number of blocks.
        case configuration(modelType: String, layers: Int)
        /// Block `loaded` of `total` is in memory.
        case block(loaded: Int, total: Int)
    }

    /// Loads the model in `folder` with weights from `store`.
    ///
    /// - Parameters:
    ///   - folder: the checkpoint folder holding `config.json`.
    ///   - store: the folder's tensors (any ``TensorStore``: safetensors, GGUF, a quantized view).
    ///   - progress: called as loading advances (on the calling thread).
    /// - Returns: the model, every weight in float32 memory.
    /// - Throws: ``DriftCore/DriftError`` for a missing or unsupported `config.json`, a missing tensor, or a tensor
    ///   whose shape contradicts `config.json`.
    public static func load(
        folder: String, store: any TensorStore, progress: (@Sendable (Progress) -> Void)? = nil
    ) throws -> TransformerModel {
        let configPath = URL(fileURLWithPath: folder).appendingPathComponent("config.json").path
        let spec = try ArchitectureSpec(configFile: configPath)
        progress?(.configuration(modelType: spec.modelType, layers: spec.layerCount))
        let source = try HuggingFaceWeights(spec: spec, store: store, path: folder)
        return try TransformerModel(source: source) { loaded, total in
            progress?(.block(loaded: loaded, total: total))
        }
    }
}
