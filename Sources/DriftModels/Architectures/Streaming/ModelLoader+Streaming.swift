import DriftCore
import Foundation

extension ModelLoader {
    /// How a model will run under a memory budget.
    public enum ExecutionMode: Sendable, Equatable {
        /// Every weight in memory (``TransformerModel``).
        case inMemory
        /// Blocks read one at a time (``StreamingTransformerModel``).
        case streaming
    }

    /// The mode `plan` runs in under `budget`: in memory when every weight fits as held for the plan's compute
    /// precision (``MemoryPlan/inMemoryWeightBytes``), else streaming (unless the budget forces a mode).
    ///
    /// - Throws: ``DriftCore/DriftError`` (`.invalidArgument`) when even streaming cannot fit, saying how much is
    ///   needed.
    public static func executionMode(_ plan: MemoryPlan, budget: MemoryBudget) throws -> ExecutionMode {
        if budget.forcedMode == .inMemory || (budget.forcedMode == nil && plan.inMemoryWeightBytes <= budget.bytes) {
            return .inMemory
        }
        guard plan.minimumStreamingBytes <= budget.bytes else {
            throw StreamingTransformerModel.tooSmall(
                budget: budget, needed: plan.minimumStreamingBytes, plan: plan, tokens: nil)
        }
        return .streaming
    }

    /// The model for `source` under `budget`: every weight loaded into memory when the weights fit as they will be
    /// held (float32, or with bf16 compute the linear weights packed in bf16), else a ``StreamingTransformerModel``
    /// that reads one block at a time.
    ///
    /// - Parameters:
    ///   - compute: the linear layers' arithmetic; with ``ComputePrecision/bf16`` every block's linear weights are
    ///     packed in bf16 as they load, one weight at a time, and the budget is checked against those sizes.
    ///   - progress: called as in-memory loading advances (streaming loads nothing up front).
    /// - Throws: ``DriftCore/DriftError`` when the budget cannot hold even one block (saying how much is needed),
    ///   for bf16 compute on a CPU without AVX-512 BF16, or as ``TransformerModel/init(source:progress:)``.
    public static func model(
        source: any ModelWeightSource, budget: MemoryBudget, compute: ComputePrecision = .f32,
        progress: ((Progress) -> Void)? = nil
    ) throws -> any HiddenStateModel {
        let source: any ModelWeightSource = compute == .bf16 ? try BF16WeightSource(base: source) : source
        switch try executionMode(MemoryPlan(source: source), budget: budget) {
        case .inMemory:
            return try TransformerModel(source: readingInPlace(source)) { loaded, total in
                progress?(.block(loaded: loaded, total: total))
            }
        case .streaming:
            return try StreamingTransformerModel(source: source, budget: budget)
        }
    }

    /// Loads the checkpoint in `folder` with weights from `store` under a memory budget; see
    /// ``model(source:budget:progress:)``.
    ///
    /// - Throws: as ``load(folder:store:progress:)`` and ``model(source:budget:compute:progress:)``.
    public static func load(
        folder: String, store: any TensorStore, budget: MemoryBudget, compute: ComputePrecision = .f32,
        progress: ((Progress) -> Void)? = nil
    ) throws -> any HiddenStateModel {
        let spec = try ArchitectureSpec(configFile: folder)
        progress?(.configuration(modelType: spec.modelType, layers: spec.layerCount))
        let source = try HuggingFaceWeights(spec: spec, store: store, path: folder)
        return try model(source: source, budget: budget, compute: compute, progress: progress)
    }
}
