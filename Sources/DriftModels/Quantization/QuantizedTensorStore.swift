import DriftCore

/// A view of a tensor store whose block linear weights are quantized and dequantized on the fly with a
/// ``QuantizationScheme``; every other tensor (embeddings, norms, biases, the LM head) passes through unchanged.
///
/// A tensor is quantized when it has rank 2, its name ends in `.weight`, it sits inside a numbered block
/// (`….layers.N.…`, `….h.N.…`, `….layer.N.…`, `….blocks.N.…`, `blk.N.…`) and its name mentions no norm or
/// embedding — the linear layers transformers replaces with bitsandbytes layers. GPT-2's `Conv1D` weights
/// (`.attn.c_attn`, `.attn.c_proj`, `.mlp.c_fc`, `.mlp.c_proj`, stored `[in, out]`) are quantized transposed, as
/// transformers' bitsandbytes integration and llama.cpp's converter do, and handed back in their stored layout.
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
            let shape = QuantizedTensorStore.isConv1D(info.name) ? info.shape.reversed() : info.shape
            return TensorInfo(name: info.name, typeName: scheme.typeName(shape: shape), shape: info.shape)
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

    /// Whether `name` is one of GPT-2's `Conv1D` weights, stored `[in, out]`.
    public static func isConv1D(_ name: String) -> Bool {
        guard !name.hasPrefix("blk.") else { return false }
        return [".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight"].contains {
            name.hasSuffix($0)
        }
    }

    public func floats(_ name: String) throws -> [Float] {
        let values = try base.floats(name)
        guard let info = tensors.first(where: { $0.name == name }), QuantizedTensorStore.isQuantized(info) else {
            return values
        }
        guard QuantizedTensorStore.isConv1D(name) else { return try scheme.roundTrip(values, shape: info.shape) }
        let (rows, cols) = (info.shape[0], info.shape[1])
        guard values.count == rows * cols else {
            throw DriftError(
                .corruptFile, "tensor \(name) has \(values.count) values, shape \(info.shape) needs \(rows * cols)")
        }
        let transposed = QuantizedTensorStore.transpose(values, rows: rows, cols: cols)
        let quantized = try scheme.roundTrip(transposed, shape: [cols, rows])
        return QuantizedTensorStore.transpose(quantized, rows: cols, cols: rows)
    }

    /// The `[cols, rows]` transpose of a row-major `[rows, cols]` matrix.
    static func transpose(_ values: [Float], rows: Int, cols: Int) -> [Float] {
        var result = [Float](repeating: 0, count: values.count)
        for r in 0..<rows {
            for c in 0..<cols { result[c * rows + r] = values[r * cols + c] }
        }
        return result
    }
}
