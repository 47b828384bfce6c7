import DriftCore

/// The weights of a GGUF model under transformers' tensor names, so the runtime's Hugging Face weight loader (and a
/// ``QuantizedTensorStore`` on top) reads a llama.cpp file unchanged.
///
/// llama.cpp's names (`token_embd`, `blk.N.attn_q`, `blk.N.ffn_norm`, …, as gguf-py's `tensor_mapping.py` assigns
/// them) are mapped back per architecture; shapes are outermost first (the reverse of GGUF's `ne`), which is
/// PyTorch's `[out, in]` for a linear weight. What `convert_hf_to_gguf.py` changed is undone: the Q/K row permutation
/// of llama-family models and OLMo (`LlamaModel.permute`, for llama's interleaved rope) is inverted; GPT-2's
/// transposed `Conv1D` weights and GPT-NeoX's regrouped fused query/key/value rows are restored too (see
/// each family's `transformersName(ggufTensor:)`). Gemma's `+1` on norm
/// weights is not undone here (the runtime reads those norms as plain RMSNorm instead; see
/// ``ModelLoader/load(gguf:scheme:progress:)``). Block-quantized tensors are dequantized to float32 when read;
/// ``TensorInfo/typeName`` keeps the stored GGML type. The untied output (`output.weight`) is the LM head
/// (`lm_head.weight`).
public final class GGUFModelStore: TensorStore {
    /// How a stored tensor becomes the transformers tensor.
    package enum Transform: Sendable {
        case none
        /// Undo `LlamaModel.permute` with this many heads (rows grouped `[heads, 2, rows/heads/2]` → `[heads, rows/heads/2, 2]`).
        case unpermute(heads: Int)
        /// Swap the two dimensions of a matrix (GPT-2's `Conv1D` weights, which the converter transposed).
        case transpose
        /// Undo `GPTNeoXModel.modify_tensors`: rows `[q heads; k heads; v heads]` back to per-head `[heads, 3, d]`
        /// (`heads` 0 stands for the query heads until resolved).
        case interleaveHeads(heads: Int)
    }

    /// The file.
    public let file: GGUFFile
    /// Every mapped tensor, transformers names, in file order.
    public let tensors: [TensorInfo]
    private let sources: [String: (gguf: String, transform: Transform)]
    private let index: [String: Int]

    /// Maps the tensors of `file` (architecture `general.architecture`) to transformers names.
    ///
    /// - Parameters:
    ///   - file: the opened GGUF file.
    ///   - headCount: query heads (for the llama Q permutation).
    ///   - keyValueHeadCount: key/value heads (for the llama K permutation).
    /// - Throws: ``DriftCore/DriftError`` for an architecture without a name map.
    public init(file: GGUFFile, headCount: Int, keyValueHeadCount: Int) throws {
        self.file = file
        let arch = file.architecture ?? ""
        guard let architecture = ModelConfiguration.Architecture(ggufArchitecture: arch) else {
            let known = ModelConfiguration.Architecture.ggufArchitectures.joined(separator: ", ")
            throw DriftError(
                .unsupported, "GGUF architecture '\(arch)' is not supported; supported: \(known)", path: file.path)
        }
        let family = architecture.family
        var sources: [String: (gguf: String, transform: Transform)] = [:]
        var tensors: [TensorInfo] = []
        for tensor in file.tensors {
            guard let (name, transform) = family.transformersName(ggufTensor: tensor.name) else { continue }
            let resolved: Transform
            switch transform {
            case .none: resolved = .none
            case .unpermute(let heads): resolved = .unpermute(heads: heads == 0 ? headCount : keyValueHeadCount)
            case .transpose: resolved = .transpose
            case .interleaveHeads: resolved = .interleaveHeads(heads: headCount)
            }
            sources[name] = (tensor.name, resolved)
            let shape = transform.isTranspose && tensor.shape.count == 2 ? Array(tensor.shape.reversed()) : tensor.shape
            tensors.append(TensorInfo(name: name, typeName: tensor.type.name, shape: shape))
        }
        self.sources = sources
        self.tensors = tensors
        self.index = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.name, $0) })
    }

    public func info(_ name: String) -> TensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The GGUF tensor behind transformers name `name`, or nil.
    public func ggufName(_ name: String) -> String? {
        sources[name]?.gguf
    }

    /// The GGUF tensor behind transformers name `name` when it is stored as the runtime uses it (no converter
    /// permutation or transposition to undo), else nil.
    func untransformedName(_ name: String) -> String? {
        guard let source = sources[name], case .none = source.transform else { return nil }
        return source.gguf
    }

    public func floats(_ name: String) throws -> [Float] {
        guard let source = sources[name], let info = info(name) else {
            throw DriftError(.missing, "no tensor named '\(name)' in this GGUF model", path: file.path)
        }
        let values = try file.floats(source.gguf)
        switch source.transform {
        case .none:
            return values
        case .unpermute(let heads):
            return try Self.unpermute(values, shape: info.shape, heads: heads, name: source.gguf, path: file.path)
        case .transpose:
            return try Self.transpose(values, shape: info.shape, name: source.gguf, path: file.path)
        case .interleaveHeads(let heads):
            return try Self.interleaveHeads(values, shape: info.shape, heads: heads, name: source.gguf, path: file.path)
        }
    }

    /// Decodes tensor `name` straight into `destination` (exactly its element count).
    ///
    /// The converter's row permutations are undone while decoding: no intermediate array, rows spread over every
    /// worker thread. Equal to ``floats(_:)`` value for value.
    ///
    /// - Throws: as ``floats(_:)``.
    package func copyFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard let source = sources[name], let info = info(name) else {
            throw DriftError(.missing, "no tensor named '\(name)' in this GGUF model", path: file.path)
        }
        let rows = info.shape.first ?? 0
        switch source.transform {
        case .none:
            try file.copyFloats(source.gguf, into: destination)
        case .unpermute(let heads):
            guard heads > 0, rows % (2 * heads) == 0 else {
                throw DriftError(
                    .corruptFile, "tensor '\(source.gguf)' has \(rows) rows, not a multiple of 2 × \(heads) heads",
                    path: file.path)
            }
            let half = rows / heads / 2
            try file.copyRows(source.gguf, rows: rows, into: destination) { stored in
                let head = stored / (2 * half)
                let within = stored % (2 * half)
                return head * 2 * half + (within % 2) * half + within / 2
            }
        case .interleaveHeads(let heads):
            guard heads > 0, rows % (3 * heads) == 0 else {
                throw DriftError(
                    .corruptFile, "tensor '\(source.gguf)' has \(rows) rows, not a multiple of 3 × \(heads) heads",
                    path: file.path)
            }
            let d = rows / heads / 3
            try file.copyRows(source.gguf, rows: rows, into: destination) { stored in
                let part = stored / (heads * d)
                let within = stored % (heads * d)
                return ((within / d) * 3 + part) * d + within % d
            }
        case .transpose:
            let values = try floats(name)
            guard values.count == destination.count else {
                throw DriftError(
                    .invalidArgument,
                    "tensor '\(name)' has \(values.count) elements, the destination holds \(destination.count)",
                    path: file.path)
            }
            _ = destination.initialize(from: values)
        }
    }

    /// Drops the mapped pages of the GGUF tensor behind `name` once it has been converted.
    package func releasePages(_ name: String) {
        guard let source = sources[name] else { return }
        file.releasePages(source.gguf)
    }

    /// Inverts `LlamaModel.permute`: within each head, row `2·j + k` of the stored block came from row `k·half + j`.
    static func unpermute(_ values: [Float], shape: [Int], heads: Int, name: String, path: String) throws -> [Float] {
        let rows = shape.first ?? 0
        let columns = shape.count > 1 ? shape[1...].reduce(1, *) : 1
        guard heads > 0, rows % (2 * heads) == 0, values.count == rows * columns else {
            throw DriftError(
                .corruptFile, "tensor '\(name)' has \(rows) rows, not a multiple of 2 × \(heads) heads", path: path)
        }
        let half = rows / heads / 2
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for head in 0..<heads {
                    for k in 0..<2 {
                        for j in 0..<half {
                            let stored = head * 2 * half + j * 2 + k
                            let original = head * 2 * half + k * half + j
                            for c in 0..<columns { target[original * columns + c] = source[stored * columns + c] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// A block tensor's name taken apart: `blk.<layer>.<tensor>.<kind>`.
    package struct BlockTensor {
        package let layer: Int
        package let tensor: String
        /// `weight` or `bias`.
        package let kind: String

        package init?(_ name: String) {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] == "blk", let layer = Int(parts[1]),
                parts[3] == "weight" || parts[3] == "bias"
            else { return nil }
            self.layer = layer
            self.tensor = String(parts[2])
            self.kind = String(parts[3])
        }
    }

    /// The transformers name of llama.cpp tensor `name` in a Llama-layout decoder (under the `model.` prefix);
    /// `.unpermute(heads: 0)` stands for the query heads, `1` for the key/value heads.
    ///
    /// Nil for tensors the runtime does not read (`rope_freqs.weight`).
    ///
    /// - Parameters:
    ///   - permutesQueryKey: whether the converter permuted the query and key rows (`LlamaModel.permute`).
    ///   - feedForwardNorm: the transformers name of `ffn_norm` (`post_attention_layernorm` in Llama,
    ///     `pre_feedforward_layernorm` in Gemma).
    ///   - extra: family-specific block tensors (llama.cpp name → transformers name after `layers.N.`).
    package static func decoderName(
        _ name: String, permutesQueryKey: Bool, feedForwardNorm: String, extra: [String: String] = [:]
    ) -> (String, Transform)? {
        switch name {
        case "token_embd.weight": return ("model.embed_tokens.weight", .none)
        case "output_norm.weight": return ("model.norm.weight", .none)
        case "output.weight": return ("lm_head.weight", .none)
        default: break
        }
        guard let block = BlockTensor(name) else { return nil }
        let isWeight = block.kind == "weight"
        var transform = Transform.none
        let suffix: String
        switch block.tensor {
        case "attn_norm": suffix = "input_layernorm"
        case "attn_q":
            suffix = "self_attn.q_proj"
            if permutesQueryKey && isWeight { transform = .unpermute(heads: 0) }
        case "attn_k":
            suffix = "self_attn.k_proj"
            if permutesQueryKey && isWeight { transform = .unpermute(heads: 1) }
        case "attn_v": suffix = "self_attn.v_proj"
        case "attn_output": suffix = "self_attn.o_proj"
        case "attn_q_norm": suffix = "self_attn.q_norm"
        case "attn_k_norm": suffix = "self_attn.k_norm"
        case "post_attention_norm": suffix = "post_attention_layernorm"
        case "ffn_norm": suffix = feedForwardNorm
        case "post_ffw_norm": suffix = "post_feedforward_layernorm"
        case "ffn_gate": suffix = "mlp.gate_proj"
        case "ffn_up": suffix = "mlp.up_proj"
        case "ffn_down": suffix = "mlp.down_proj"
        default:
            guard let mapped = extra[block.tensor] else { return nil }
            suffix = mapped
        }
        return ("model.layers.\(block.layer).\(suffix).\(block.kind)", transform)
    }
}
