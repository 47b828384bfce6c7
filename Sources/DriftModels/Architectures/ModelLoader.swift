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

    /// Loads the checkpoint in `folder`: `config.json` and `model.safetensors` (or shards listed by
    /// `model.safetensors.index.json`), in F32, F16 or BF16, computed in float32.
    ///
    /// - Parameters:
    ///   - folder: the checkpoint folder.
    ///   - progress: called as loading advances (on the calling thread).
    /// - Returns: the model, every weight in float32 memory.
    /// - Throws: ``DriftCore/DriftError`` for a missing or unsupported `config.json` (the message lists the supported
    ///   architectures), a missing shard or tensor, or a tensor whose shape contradicts `config.json`.
    public static func load(folder: String, progress: ((Progress) -> Void)? = nil) throws -> TransformerModel {
        let spec = try ArchitectureSpec(configFile: folder)
        progress?(.configuration(modelType: spec.modelType, layers: spec.layerCount))
        let store = try SafetensorsStore(path: folder)
        return try load(spec: spec, store: store, path: folder, progress: progress)
    }

    /// Loads the model in `folder` with weights from `store` (any ``TensorStore`` with transformers tensor names:
    /// safetensors, a quantized view, a test double).
    ///
    /// - Throws: as ``load(folder:progress:)``.
    public static func load(
        folder: String, store: any TensorStore, progress: ((Progress) -> Void)? = nil
    ) throws -> TransformerModel {
        let spec = try ArchitectureSpec(configFile: folder)
        progress?(.configuration(modelType: spec.modelType, layers: spec.layerCount))
        return try load(spec: spec, store: store, path: folder, progress: progress)
    }

    private static func load(
        spec: ArchitectureSpec, store: any TensorStore, path: String, progress: ((Progress) -> Void)?
    ) throws -> TransformerModel {
        let source = try HuggingFaceWeights(spec: spec, store: store, path: path)
        return try TransformerModel(source: readingInPlace(source)) { loaded, total in
            progress?(.block(loaded: loaded, total: total))
        }
    }

    /// `source` with weights used in place in their mapped files (``HuggingFaceWeights/readsInPlace``), for a model
    /// held whole in memory; any other source unchanged.
    static func readingInPlace(_ source: any ModelWeightSource) -> any ModelWeightSource {
        if var weights = source as? HuggingFaceWeights {
            weights.readsInPlace = true
            return weights
        }
        // With bf16 compute the linear weights are packed (from the file's bf16 where it has it); the token table
        // is still read in place.
        if var bf16 = source as? BF16WeightSource, var weights = bf16.base as? HuggingFaceWeights {
            weights.readsInPlace = true
            bf16.base = weights
            return bf16
        }
        return source
    }
}
