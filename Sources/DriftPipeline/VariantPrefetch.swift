import DriftCore
import DriftModels
import Foundation

/// One variant's model loading on a thread of its own while the variant before it extracts.
///
/// `@unchecked Sendable` is safe because `result` is written once by the loading thread before it signals `finished`,
/// and read only after waiting for that signal.
final class VariantPrefetch: @unchecked Sendable {
    /// The variant's position in the request.
    let index: Int
    private let finished = DispatchSemaphore(value: 0)
    private var result: Result<LoadedCheckpoint, any Error> = .failure(
        DriftError(.io, "the variant's model did not finish loading"))

    /// Starts loading with `load` on a new thread.
    init(index: Int, load: @escaping @Sendable () throws -> LoadedCheckpoint) {
        self.index = index
        let thread = Thread { [self] in
            result = Result { try load() }
            finished.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Waits for the model (rethrowing what loading threw).
    func model() throws -> LoadedCheckpoint {
        finished.wait()
        finished.signal()
        return try result.get()
    }
}

extension ComparePipeline {
    /// Whether the next variant can load while the current one extracts: only when every variant will be held in
    /// memory and the budget holds the weights of any two neighbours at once; otherwise why not, for the manifest.
    static func schedule(
        _ references: [ModelReference], budget: MemoryBudget, compute: ComputePrecision
    ) -> (overlapped: Bool, note: String?) {
        guard references.count > 1 else { return (false, "one variant: nothing to overlap") }
        guard budget.forcedMode == nil else { return (false, "the execution mode is forced: variants load in turn") }
        var sizes: [Int] = []
        for reference in references {
            guard let bytes = try? weightBytes(reference, compute: compute) else {
                return (false, "the size of \(reference.path) could not be read ahead: variants load in turn")
            }
            guard bytes <= budget.bytes else {
                return (false, "\(reference.path) streams under the budget \(budget): variants load in turn")
            }
            sizes.append(bytes)
        }
        for i in 1..<sizes.count where sizes[i - 1] + sizes[i] > budget.bytes {
            let pair = MemoryBudget.format(sizes[i - 1] + sizes[i])
            return (
                false,
                "the budget \(budget) holds one variant's weights but not two neighbours' (\(pair)): variants load in turn"
            )
        }
        return (true, nil)
    }

    /// The bytes variant `reference` holds in memory (``DriftModels/MemoryPlan/inMemoryWeightBytes``), read from its
    /// configuration without loading a weight.
    static func weightBytes(_ reference: ModelReference, compute: ComputePrecision) throws -> Int {
        let spec: ArchitectureSpec
        switch reference.kind {
        case .ggufFile: spec = try ModelLoader.spec(gguf: try GGUFFile(path: reference.path))
        case .checkpointFolder, .safetensorsFile:
            spec = try ArchitectureSpec(configFile: reference.path)
            // A bf16 checkpoint's linear weights are held in bf16 in float32 compute too, as the loader plans
            // (the store only maps the files and reads their headers).
            if reference.scheme == nil, compute == .f32 {
                let store = try SafetensorsStore(path: reference.path)
                let weights = try HuggingFaceWeights(spec: spec, store: store, path: reference.path)
                return MemoryPlan(source: weights).inMemoryWeightBytes
            }
        }
        return MemoryPlan(spec: spec, compute: compute).inMemoryWeightBytes
    }
}
