import DriftCore

/// A view of a tensor store whose block linear weights are quantized and dequantized on the fly with a
/// ``QuantizationScheme``; every other tensor (embeddings, norms, biases, the LM head) passes through unchanged.
///
/// A tensor is quantized when it has rank 2, its name ends in `.weight`, it sits inside a numbered block
/// (`….layers.N.…`, `….h.N.…`, `….layer.N.…`, `….blocks.N.…`, `blk.N.…`) and its name mentions no norm or
/// embedding — the linear layers transformers replaces with bitsandbytes layers.
public struct QuantizedTensorStore: TensorStore {
    /// The full-precision store.
    public let base: any TensorStore
    /// The scheme applied to the block linear weights.
    public let scheme: QuantizationScheme
    /// The base store's tensors, with ``TensorInfo/typeName`` set to the scheme for the quantized ones.
    public let tensors: [TensorInfo]

    /// Wraps `base` with `scheme`.
    public init(base: any TensorStore, scheme: QuantizationScheme) {
        self.base = base
        self.scheme = scheme
        self.tensors = base.tensors.map { info in
            guard QuantizedTensorStore.isQuantized(info) else { return info }
            return TensorInfo(name: info.name, typeName: scheme.typeName(shape: info.shape), shape: info.shape)
        }
    }

    /// Whether a tensor is one of the block linear weights the schemes quantize.
    public static func isQuantized(_ info: TensorInfo) -> Bool {
        guard info.shape.count == 2, info.name.hasSuffix(".weight") else { return false }
        let lower = info.name.lowercased()
        if lower.contains("norm") || lower.contains("embed") || lower.contains("lm_head") { return false }
        let parts = info.name.split(separator: ".", omittingEmptySubsequences: false)
        let blockWords: Set<Substring> = ["layers", "h", "layer", "blocks", "blk"]
        for i in 0..<max(0, parts.count - 2) where blockWords.contains(parts[i]) {
            if !parts[i + 1].isEmpty && parts[i + 1].allSatisfy(\.isNumber) { return true }
        }
        return false
    }

    public func floats(_ name: String) throws -> [Float] {
        let values = try base.floats(name)
        guard let info = tensors.first(where: { $0.name == name }), QuantizedTensorStore.isQuantized(info) else {
            return values
        }
        return try scheme.roundTrip(values, shape: info.shape)
    }
}
