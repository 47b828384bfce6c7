import DriftCore

extension ModelLoader {
    /// The runtime's architecture for a GGUF model: ``ModelConfiguration/init(gguf:)`` plus what the file's weights
    /// imply — Gemma's norms are stored with llama.cpp's `+1` already added (plain RMSNorm), and a `rope_freqs.weight`
    /// tensor (Llama 3 scaling as the converter writes it) divides each rotary frequency by its factor.
    ///
    /// - Throws: ``DriftCore/DriftError`` as ``ModelConfiguration/init(gguf:)`` and
    ///   ``ArchitectureSpec/init(configuration:path:)``, or when `rope_freqs.weight` has the wrong length.
    public static func spec(gguf file: GGUFFile) throws -> ArchitectureSpec {
        var spec = try ArchitectureSpec(configuration: try ModelConfiguration(gguf: file), path: file.path)
        if spec.norm == .rmsOnePlus { spec.norm = .rms }
        if file.tensor("rope_freqs.weight") != nil {
            let factors = try file.floats("rope_freqs.weight")
            spec.layerRopes = try spec.layerRopes.map { rope in
                guard var rope else { return nil }
                guard factors.count == rope.rotaryDimensions / 2, factors.allSatisfy({ $0 > 0 }) else {
                    throw DriftError(
                        .corruptFile,
                        "rope_freqs.weight has \(factors.count) values; \(rope.rotaryDimensions / 2) positive factors expected",
                        path: file.path)
                }
                rope.scaling = .frequencyFactors(factors)
                return rope
            }
        }
        return spec
    }

    /// Loads a GGUF model (llama.cpp file) into float32 memory, quantized on the fly with `scheme` when given.
    ///
    /// Every weight is dequantized once, block by block, as the model loads (see ``GGUFModelStore``).
    ///
    /// - Parameters:
    ///   - file: the opened GGUF file.
    ///   - scheme: a quantization applied to the block linear weights after dequantization, or nil.
    ///   - budget: the memory the model may use; beyond it, blocks are dequantized and run one at a time.
    ///   - compute: the linear layers' arithmetic (``ComputePrecision``).
    ///   - progress: called as loading advances (on the calling thread).
    /// - Throws: ``DriftCore/DriftError`` for an unsupported architecture, missing tensors, shapes that contradict
    ///   the metadata, tensor types that cannot be dequantized, or bf16 compute on a CPU without AVX-512 BF16.
    public static func load(
        gguf file: GGUFFile, scheme: QuantizationScheme? = nil, budget: MemoryBudget = .automatic,
        compute: ComputePrecision = .f32, progress: ((Progress) -> Void)? = nil
    ) throws -> any HiddenStateModel {
        let spec = try spec(gguf: file)
        progress?(.configuration(modelType: spec.modelType, layers: spec.layerCount))
        let base = try GGUFModelStore(
            file: file, headCount: spec.headCount, keyValueHeadCount: spec.keyValueHeadCount)
        let store: any TensorStore = scheme.map { QuantizedTensorStore(base: base, scheme: $0) } ?? base
        let source = try HuggingFaceWeights(spec: spec, store: store, path: file.path)
        return try model(source: source, budget: budget, compute: compute, progress: progress)
    }
}
