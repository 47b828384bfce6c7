import DriftCore

/// Weights of a Hugging Face checkpoint (transformers tensor names), read from any ``TensorStore``.
///
/// Every tensor's shape is checked against the ``ArchitectureSpec`` before it is used; a missing tensor or a shape that
/// contradicts `config.json` is a ``DriftCore/DriftError`` naming the tensor, the expected and the found shape.
/// Fused layouts are converted to the runtime's: GPT-NeoX's per-head interleaved `query_key_value` rows are regrouped,
/// GPT-2's `Conv1D` weights (`in × out`) are transposed.
public struct HuggingFaceWeights: ModelWeightSource {
    public let spec: ArchitectureSpec
    /// The tensors.
    public let store: any TensorStore
    /// The path named in errors.
    public let path: String?
    /// The prefix of every tensor name (`model.`, `transformer.`, `gpt_neox.`, `bert.` or empty).
    public let prefix: String

    /// Wraps `store` for `spec`, finding the tensor-name prefix the checkpoint uses.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the token embedding is under none of the known names.
    public init(spec: ArchitectureSpec, store: any TensorStore, path: String? = nil) throws {
        self.spec = spec
        self.store = store
        self.path = path
        let embedding = Self.tokenEmbeddingName(spec.modelType)
        let candidates = Self.prefixes(spec.modelType)
        guard let prefix = candidates.first(where: { store.info($0 + embedding) != nil }) else {
            throw DriftError(
                .missing,
                "tensor '\(candidates[0] + embedding)' (the token embedding) is missing; is this a \(spec.modelType) checkpoint?",
                path: path)
        }
        self.prefix = prefix
    }

    private static func prefixes(_ modelType: String) -> [String] {
        switch modelType {
        case "gpt2": return ["transformer.", ""]
        case "gpt_neox": return ["gpt_neox.", ""]
        case "bert": return ["", "bert."]
        default: return ["model.", "", "model.language_model.", "language_model.model."]
        }
    }

    private static func tokenEmbeddingName(_ modelType: String) -> String {
        switch modelType {
        case "gpt2": return "wte.weight"
        case "gpt_neox": return "embed_in.weight"
        case "bert": return "embeddings.word_embeddings.weight"
        default: return "embed_tokens.weight"
        }
    }

    // MARK: - Embeddings

    public func embeddingWeights() throws -> EmbeddingWeights {
        let h = spec.hiddenSize
        let v = spec.vocabularySize
        switch spec.modelType {
        case "gpt2":
            return EmbeddingWeights(
                tokens: try matrix("wte.weight", [v, h]),
                positions: try matrix("wpe.weight", [spec.learnedPositions ?? 0, h]),
                finalNorm: try norm("ln_f", h))
        case "gpt_neox":
            return EmbeddingWeights(
                tokens: try matrix("embed_in.weight", [v, h]), finalNorm: try norm("final_layer_norm", h))
        case "bert":
            let types = try matrix("embeddings.token_type_embeddings.weight", [spec.tokenTypes ?? 2, h])
            return EmbeddingWeights(
                tokens: try matrix("embeddings.word_embeddings.weight", [v, h]),
                positions: try matrix("embeddings.position_embeddings.weight", [spec.learnedPositions ?? 0, h]),
                tokenType: types.row(0), embeddingNorm: try norm("embeddings.LayerNorm", h))
        default:
            return EmbeddingWeights(tokens: try matrix("embed_tokens.weight", [v, h]), finalNorm: try norm("norm", h))
        }
    }

    // MARK: - Blocks

    public func blockWeights(_ layer: Int) throws -> BlockWeights {
        try blockWeights(layer, compute: .f32)
    }

    /// Block `layer`'s weights with the linear layers as `compute` holds them.
    ///
    /// With ``ComputePrecision/bf16`` each linear weight is packed as soon as it is read and its float32 copy dropped
    /// before the next one is read; a stacked projection whose parts fill whole panels is packed one part (one
    /// checkpoint tensor) at a time. So converting a block needs the float32 copy of one weight (or part) at a time
    /// (``MemoryPlan/conversionBytes``), never the whole block. The packed matrices equal packing the float32 block.
    ///
    /// - Throws: as ``blockWeights(_:)``.
    package func blockWeights(_ layer: Int, compute: ComputePrecision) throws -> BlockWeights {
        guard (0..<spec.layerCount).contains(layer) else {
            throw DriftError(
                .invalidArgument, "block \(layer) does not exist; the model has \(spec.layerCount)", path: path)
        }
        switch spec.modelType {
        case "gpt2": return try gpt2Block(layer, compute)
        case "gpt_neox": return try neoxBlock(layer, compute)
        case "bert": return try bertBlock(layer, compute)
        default: return try llamaFamilyBlock(layer, compute)
        }
    }

    private func llamaFamilyBlock(_ i: Int, _ compute: ComputePrecision) throws -> BlockWeights {
        let h = spec.hiddenSize
        let p = "layers.\(i)."
        let qkvBias = spec.queryKeyValueBias
        let qkv = try stackedLinear(
            [p + "self_attn.q_proj", p + "self_attn.k_proj", p + "self_attn.v_proj"],
            [[spec.queryWidth, h], [spec.keyValueWidth, h], [spec.keyValueWidth, h]], bias: qkvBias, compute)
        let o = held(try linear(p + "self_attn.o_proj", [h, spec.queryWidth], bias: spec.outputBias), compute)
        let f = spec.intermediateSize
        let gateUp = try stackedLinear(
            [p + "mlp.gate_proj", p + "mlp.up_proj"], [[f, h], [f, h]], bias: spec.mlpBias, compute)
        let down = held(try linear(p + "mlp.down_proj", [h, f], bias: spec.mlpBias), compute)

        var queryNorm: NormWeights?
        var keyNorm: NormWeights?
        switch spec.queryKeyNorm {
        case .none: break
        case .perHead:
            queryNorm = try norm(p + "self_attn.q_norm", spec.headDimension)
            keyNorm = try norm(p + "self_attn.k_norm", spec.headDimension)
        case .whole:
            queryNorm = try norm(p + "self_attn.q_norm", spec.queryWidth)
            keyNorm = try norm(p + "self_attn.k_norm", spec.keyValueWidth)
        }
        let isGemma = spec.modelType == "gemma3_text"
        // transformers names differ: Llama's `post_attention_layernorm` is the norm *before* the MLP; in Gemma 3 and
        // OLMo 2 it is applied to the attention output.
        let attentionNorm = spec.hasPreNorms ? try norm(p + "input_layernorm", h) : nil
        let postAttention = spec.hasPostAttentionNorm ? try norm(p + "post_attention_layernorm", h) : nil
        let feedForwardNorm: NormWeights?
        if !spec.hasPreNorms {
            feedForwardNorm = nil
        } else if isGemma {
            feedForwardNorm = try norm(p + "pre_feedforward_layernorm", h)
        } else {
            feedForwardNorm = try norm(p + "post_attention_layernorm", h)
        }
        let postFeedForward = spec.hasPostFeedForwardNorm ? try norm(p + "post_feedforward_layernorm", h) : nil
        return BlockWeights(
            attentionNorm: attentionNorm, queryKeyValue: qkv, queryNorm: queryNorm,
            keyNorm: keyNorm, attentionOutput: o, postAttentionNorm: postAttention, feedForwardNorm: feedForwardNorm,
            feedForwardIn: gateUp, feedForwardOut: down, postFeedForwardNorm: postFeedForward)
    }

    private func neoxBlock(_ i: Int, _ compute: ComputePrecision) throws -> BlockWeights {
        let h = spec.hiddenSize
        let p = "layers.\(i)."
        let qkv = held(try neoxQueryKeyValue(p), compute)
        let o = held(
            try linear(p + "attention.dense", [h, spec.headCount * spec.headDimension], bias: spec.outputBias), compute)
        let up = held(try linear(p + "mlp.dense_h_to_4h", [spec.intermediateSize, h], bias: true), compute)
        let down = held(try linear(p + "mlp.dense_4h_to_h", [h, spec.intermediateSize], bias: true), compute)
        return BlockWeights(
            attentionNorm: try norm(p + "input_layernorm", h), queryKeyValue: qkv, queryNorm: nil, keyNorm: nil,
            attentionOutput: o, postAttentionNorm: nil, feedForwardNorm: try norm(p + "post_attention_layernorm", h),
            feedForwardIn: up, feedForwardOut: down, postFeedForwardNorm: nil)
    }

    /// GPT-NeoX's fused `query_key_value` of the block named `p`, its rows regrouped to the runtime's layout.
    private func neoxQueryKeyValue(_ p: String) throws -> LinearWeights {
        let h = spec.hiddenSize
        let heads = spec.headCount
        let d = spec.headDimension
        guard spec.keyValueHeadCount == heads else {
            throw DriftError(
                .corruptFile,
                "GPT-NeoX has no grouped-query attention; num_key_value_heads must equal num_attention_heads",
                path: path)
        }
        // transformers views the fused output as [heads, 3, headDim]: regroup rows to [q heads; k heads; v heads].
        let fused = try linear(p + "attention.query_key_value", [3 * heads * d, h], bias: spec.queryKeyValueBias)
        var weight = Matrix(rows: fused.outputs, columns: h)
        var bias = fused.bias.map { _ in [Float](repeating: 0, count: fused.outputs) }
        for head in 0..<heads {
            for part in 0..<3 {
                for r in 0..<d {
                    let source = (head * 3 + part) * d + r
                    let target = part * heads * d + head * d + r
                    weight.setRow(target, to: fused.weight.storage[(source * h)..<((source + 1) * h)])
                    if let fusedBias = fused.bias { bias?[target] = fusedBias[source] }
                }
            }
        }
        return LinearWeights(weight: weight, bias: bias)
    }

    private func gpt2Block(_ i: Int, _ compute: ComputePrecision) throws -> BlockWeights {
        let h = spec.hiddenSize
        let f = spec.intermediateSize
        let p = "h.\(i)."
        let qkv = held(try conv1D(p + "attn.c_attn", inputs: h, outputs: 3 * h), compute)
        let o = held(try conv1D(p + "attn.c_proj", inputs: h, outputs: h), compute)
        let up = held(try conv1D(p + "mlp.c_fc", inputs: h, outputs: f), compute)
        let down = held(try conv1D(p + "mlp.c_proj", inputs: f, outputs: h), compute)
        return BlockWeights(
            attentionNorm: try norm(p + "ln_1", h), queryKeyValue: qkv, queryNorm: nil, keyNorm: nil,
            attentionOutput: o, postAttentionNorm: nil, feedForwardNorm: try norm(p + "ln_2", h),
            feedForwardIn: up, feedForwardOut: down, postFeedForwardNorm: nil)
    }

    private func bertBlock(_ i: Int, _ compute: ComputePrecision) throws -> BlockWeights {
        let h = spec.hiddenSize
        let f = spec.intermediateSize
        let p = "encoder.layer.\(i)."
        let qkv = try stackedLinear(
            [p + "attention.self.query", p + "attention.self.key", p + "attention.self.value"],
            [[spec.queryWidth, h], [spec.keyValueWidth, h], [spec.keyValueWidth, h]], bias: true, compute)
        let o = held(try linear(p + "attention.output.dense", [h, h], bias: true), compute)
        let up = held(try linear(p + "intermediate.dense", [f, h], bias: true), compute)
        let down = held(try linear(p + "output.dense", [h, f], bias: true), compute)
        return BlockWeights(
            attentionNorm: try norm(p + "attention.output.LayerNorm", h), queryKeyValue: qkv,
            queryNorm: nil, keyNorm: nil, attentionOutput: o, postAttentionNorm: nil,
            feedForwardNorm: try norm(p + "output.LayerNorm", h), feedForwardIn: up, feedForwardOut: down,
            postFeedForwardNorm: nil)
    }

    /// `layer` as `compute` holds it: unchanged in float32, packed for the bf16 kernel (float32 copy dropped).
    private func held(_ layer: LinearWeights, _ compute: ComputePrecision) -> LinearWeights {
        compute == .bf16 ? layer.packedForBF16() : layer
    }

    // MARK: - Tensor access with shape checks

    /// The description of tensor `prefix + name`, after checking its shape is `shape`.
    private func checkedInfo(_ name: String, _ shape: [Int]) throws -> TensorInfo {
        let full = prefix + name
        guard let info = store.info(full) else {
            throw DriftError(.missing, "tensor '\(full)' is missing (expected shape \(shape))", path: path)
        }
        guard info.shape == shape else {
            throw DriftError(
                .corruptFile,
                "tensor '\(full)' has shape \(info.shape) but config.json implies \(shape)", path: path)
        }
        return info
    }

    /// The values of tensor `prefix + name`, after checking its shape is `shape`.
    package func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
        let info = try checkedInfo(name, shape)
        return try [Float](unsafeUninitializedCapacity: info.elementCount) { buffer, initialized in
            try fill(info, into: buffer)
            initialized = info.elementCount
        }
    }

    /// Converts the tensor described by `info` into `destination` (exactly its element count), then lets a
    /// memory-mapped checkpoint's pages go: the float32 copy is what the model keeps.
    private func fill(_ info: TensorInfo, into destination: UnsafeMutableBufferPointer<Float>) throws {
        if let safetensors = store as? SafetensorsStore {
            try safetensors.copyFloats(info.name, into: destination)
            safetensors.releasePages(info.name)
            return
        }
        let values = try store.floats(info.name)
        (store as? any PageReleasingStore)?.releasePages(info.name)
        guard values.count == destination.count else {
            throw DriftError(
                .corruptFile, "tensor '\(info.name)' gave \(values.count) values, expected \(destination.count)",
                path: path)
        }
        _ = destination.initialize(from: values)
    }

    /// Linear layers that read the same input, stacked into one (`[first; second; …]` rows) without an
    /// intermediate copy of each part, as `compute` holds them.
    ///
    /// With bf16, when the parts fill whole panels, each part is packed as it is read instead, so
    /// that only one part exists in float32.
    private func stackedLinear(
        _ names: [String], _ shapes: [[Int]], bias: Bool, _ compute: ComputePrecision
    ) throws -> LinearWeights {
        let infos = try zip(names, shapes).map { try checkedInfo($0 + ".weight", $1) }
        let rows = shapes.reduce(0) { $0 + $1[0] }
        let columns = shapes[0][1]
        let biases = bias ? try zip(names, shapes).flatMap { try tensor($0 + ".bias", [$1[0]]) } : nil
        if compute == .bf16, BF16PackedMatrix.canPackPartwise(partRows: shapes.map { $0[0] }) {
            let packed = try BF16PackedMatrix(columns: columns, partRows: shapes.map { $0[0] }) { index in
                Matrix(
                    rows: shapes[index][0], columns: columns,
                    storage: try tensor(names[index] + ".weight", shapes[index]))
            }
            return LinearWeights(packed: packed, bias: biases)
        }
        let storage = try [Float](unsafeUninitializedCapacity: rows * columns) { buffer, initialized in
            var offset = 0
            for info in infos {
                try fill(
                    info, into: UnsafeMutableBufferPointer(rebasing: buffer[offset..<(offset + info.elementCount)]))
                offset += info.elementCount
            }
            initialized = offset
        }
        let layer = LinearWeights(weight: Matrix(rows: rows, columns: columns, storage: storage), bias: biases)
        return held(layer, compute)
    }

    private func matrix(_ name: String, _ shape: [Int]) throws -> Matrix {
        Matrix(rows: shape[0], columns: shape[1], storage: try tensor(name, shape))
    }

    private func linear(_ name: String, _ shape: [Int], bias: Bool) throws -> LinearWeights {
        LinearWeights(
            weight: try matrix(name + ".weight", shape), bias: bias ? try tensor(name + ".bias", [shape[0]]) : nil)
    }

    /// A GPT-2 `Conv1D` (weight stored `inputs × outputs`), transposed to the runtime's `outputs × inputs`.
    private func conv1D(_ name: String, inputs: Int, outputs: Int) throws -> LinearWeights {
        let stored = try matrix(name + ".weight", [inputs, outputs])
        return LinearWeights(weight: stored.transposed(), bias: try tensor(name + ".bias", [outputs]))
    }

    private func norm(_ name: String, _ width: Int) throws -> NormWeights {
        switch spec.norm {
        case .rms, .rmsOnePlus:
            return NormWeights(weight: try tensor(name + ".weight", [width]))
        case .layerNorm(let affine, let bias):
            return NormWeights(
                weight: affine ? try tensor(name + ".weight", [width]) : nil,
                bias: bias ? try tensor(name + ".bias", [width]) : nil)
        }
    }
}
