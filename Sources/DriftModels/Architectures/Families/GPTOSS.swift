import DriftCore

/// OpenAI's gpt-oss (`gpt_oss`): Llama's layout with biases on the query, key, value and output projections, a
/// learned attention sink per head (`self_attn.sinks`), every other layer sliding (`layer_types`, the first one
/// included; `sliding_window`), YaRN rotary scaling, and routed experts in every block: a router with a bias
/// (`mlp.router`), the top `num_experts_per_tok` logits softmaxed among themselves, and experts with biases whose
/// gate and up rows interleave in `gate_up_proj`, through a clamped SwiGLU (`swiglu_limit`, α 1.702).
///
/// The experts are read as the Hub ships them, MXFP4 (`gate_up_proj_blocks` / `_scales`, ``MXFP4``) dequantized as
/// transformers does, or as transformers saves them unquantized (`gate_up_proj`: `experts × hidden × 2·width`,
/// `down_proj`: `experts × width × hidden`, both applied as `x · W`).
package enum GPTOSSFamily: ArchitectureFamily {
    package static let defaults = ConfigurationDefaults().with {
        $0.keyValueHeads = 8
        $0.headDimension = 64
        $0.maxPositions = 131_072
        $0.normEpsilon = 1e-5
        $0.attentionBias = .key("attention_bias", default: true)
        $0.ropeTheta = 150_000
    }

    package static let tensorNames = DecoderTensorNames().with {
        $0.experts.router = "mlp.router"
        $0.experts.experts = "mlp.experts"
    }

    /// GptOssConfig's rope when the file has none: YaRN ×32 over 4096 positions, not truncated.
    static let defaultRope: [String: JSONValue] = [
        "rope_type": .string("yarn"), "factor": .number(32), "beta_fast": .number(32), "beta_slow": .number(1),
        "truncate": .bool(false), "original_max_position_embeddings": .integer(4096),
    ]

    package static func readConfiguration(
        _ configuration: inout ModelConfiguration, from reader: ConfigurationReader
    ) throws {
        configuration.slidingWindow = try reader.slidingWindow(default: 128)
        configuration.layerTypes = (0..<configuration.layerCount).map {
            ($0 + 1) % 2 != 0 ? "sliding_attention" : "full_attention"
        }
    }

    package static func readRope(
        from reader: ConfigurationReader, layerTypes: [String], maxPositions: Int
    ) throws -> (full: ModelConfiguration.RopeParameters?, sliding: ModelConfiguration.RopeParameters?) {
        let rope = RopeReader(reader: reader, defaults: defaults, maxPositions: maxPositions)
        if reader.has("rope_scaling") || reader.has("rope_parameters") {
            return try rope.standard(layerTypes: layerTypes)
        }
        return (
            try rope.build(defaultRope, defaultTheta: try rope.outerTheta() ?? defaults.ropeTheta, defaultPartial: 1),
            nil
        )
    }

    package static func configure(
        _ spec: inout ArchitectureSpec, from configuration: ModelConfiguration, reader: ConfigurationReader
    ) throws {
        if let quantization = try reader.optionalObject("quantization_config") {
            let method = quantization["quant_method"]?.stringValue ?? ""
            guard method == "mxfp4" else {
                throw DriftError(
                    .unsupported,
                    "\"quantization_config\" has quant_method \(DriftError.quote(method)); gpt_oss is read unquantized or as mxfp4",
                    path: reader.path)
            }
        }
        spec.attentionSinks = true
        var routing = try ExpertRouting.read(
            reader, count: try reader.integer("num_local_experts", "num_experts", default: 128),
            active: try reader.integer("num_experts_per_tok", default: 4), width: configuration.intermediateSize,
            normalizes: true, layers: Array(repeating: true, count: spec.layerCount))
        let alpha = try reader.number("swiglu_alpha", default: 1.702)
        let limit = try reader.number("swiglu_limit", default: 7)
        guard limit > 0, alpha > 0 else {
            throw reader.problem("\"swiglu_limit\" is \(limit) and \"swiglu_alpha\" \(alpha); both must be positive")
        }
        routing.softmaxOverTopK = true
        routing.clampedSwiGLU = ArchitectureSpec.ClampedSwiGLU(alpha: Float(alpha), limit: Float(limit))
        spec.experts = routing
    }

    package static var ggufArchitecture: String? { "gpt-oss" }

    /// llama.cpp's gpt-oss: every other layer sliding (the first one included) with `attention.sliding_window`,
    /// `expert_count` / `expert_used_count` experts of `expert_feed_forward_length`, the SwiGLU clamp fixed at 7 and
    /// YaRN as the common reader gives it (truncated, as llama.cpp computes it).
    package static func completeConfiguration(
        _ json: inout [String: JSONValue], gguf metadata: GGUFMetadata, rope: [String: JSONValue]
    ) throws {
        json["rope_parameters"] = try metadata.ropeParameters(rope)
        json["attention_bias"] = .bool(metadata.file.tensor("blk.0.attn_q.bias") != nil)
        json["sliding_window"] = .integer(try metadata.required("attention.sliding_window"))
        json["num_local_experts"] = .integer(try metadata.required("expert_count"))
        json["num_experts_per_tok"] = .integer(try metadata.required("expert_used_count"))
        if let width = try metadata.integer("expert_feed_forward_length") {
            json["intermediate_size"] = .integer(width)
        }
        json["swiglu_limit"] = .number(7)
    }

    /// The sinks keep transformers' name (`self_attn.sinks`, no `.weight`); the experts are llama.cpp's stacked
    /// `ffn_{gate,up,down}_exps` (weights and biases), read as ``expertWeights(_:names:from:routing:compute:)``'s
    /// third layout.
    package static func transformersName(ggufTensor name: String) -> (String, GGUFModelStore.Transform)? {
        if let block = GGUFModelStore.BlockTensor(name), block.tensor == "attn_sinks", block.kind == "weight" {
            return ("model.layers.\(block.layer).self_attn.sinks", .none)
        }
        return GGUFModelStore.decoderName(
            name, permutesQueryKey: false, feedForwardNorm: "post_attention_layernorm",
            extra: [
                "ffn_gate_inp": "mlp.router", "ffn_gate_exps": "mlp.experts.gate_proj",
                "ffn_up_exps": "mlp.experts.up_proj", "ffn_down_exps": "mlp.experts.down_proj",
            ])
    }

    package static func blockWeights(
        _ layer: Int, from w: HuggingFaceWeights, compute: ComputePrecision
    ) throws -> BlockWeights {
        var block = try w.decoderBlock(layer, names: tensorNames, compute: compute)
        block.attentionSinks = try w.tensor("layers.\(layer).self_attn.sinks", [w.spec.headCount])
        return block
    }

    /// The router (with its bias) and every expert with its biases; the interleaved gate/up rows (gate at even
    /// indices, up at odd) are regrouped into the runtime's `[gate; up]`.
    package static func expertWeights(
        _ p: String, names n: ExpertTensorNames, from w: HuggingFaceWeights, routing: ArchitectureSpec.ExpertRouting,
        compute: ComputePrecision
    ) throws -> ExpertWeights {
        let h = w.spec.hiddenSize
        let f = routing.intermediateSize
        let count = routing.count
        let routerName = w.prefix + p + n.router + ".weight"
        if let info = w.store.info(routerName), info.shape.count == 2, info.shape[0] != count {
            throw DriftError(
                .corruptFile,
                "config.json gives \(count) experts (num_local_experts), but the router '\(routerName)' chooses among \(info.shape[0])",
                path: w.path)
        }
        let router = try w.linear(p + n.router, [count, h], bias: true)
        let base = p + n.experts + "."
        if w.store.info(w.prefix + base + "gate_proj.weight") != nil {
            let (gateUp, down) = try llamaCppExperts(base, from: w, count: count, hidden: h, width: f, compute: compute)
            return ExpertWeights(router: router, gateUp: gateUp, down: down)
        }
        let gateUpBias = try w.tensor(base + "gate_up_proj_bias", [count, 2 * f])
        let downBias = try w.tensor(base + "down_proj_bias", [count, h])
        // Expert e's gate/up as `2f × h` (interleaved rows) and down as `h × f`, one expert at a time, so only the
        // packed (or stacked) file tensors and one expert's float32 copy exist at once.
        let gateUp: (Int) -> [Float]
        let down: (Int) -> [Float]
        if w.hasMXFP4(base + "gate_up_proj") {
            gateUp = try w.mxfp4Experts(base + "gate_up_proj", experts: count, rows: 2 * f, columns: h)
            down = try w.mxfp4Experts(base + "down_proj", experts: count, rows: h, columns: f)
        } else {
            gateUp = transposedExperts(try w.tensor(base + "gate_up_proj", [count, h, 2 * f]), h, 2 * f)
            down = transposedExperts(try w.tensor(base + "down_proj", [count, f, h]), f, h)
        }
        var gateUps: [LinearWeights] = []
        var downs: [LinearWeights] = []
        for e in 0..<count {
            let expert = gateUp(e)
            var weight = [Float](repeating: 0, count: 2 * f * h)
            var bias = [Float](repeating: 0, count: 2 * f)
            for row in 0..<(2 * f) {
                // Row 2j is gate j, row 2j + 1 is up j.
                let target = (row % 2) * f + row / 2
                for c in 0..<h { weight[target * h + c] = expert[row * h + c] }
                bias[target] = gateUpBias[e * 2 * f + row]
            }
            gateUps.append(
                w.held(LinearWeights(weight: Matrix(rows: 2 * f, columns: h, storage: weight), bias: bias), compute))
            let downBiasRow = Array(downBias[(e * h)..<((e + 1) * h)])
            downs.append(
                w.held(LinearWeights(weight: Matrix(rows: h, columns: f, storage: down(e)), bias: downBiasRow), compute)
            )
        }
        return ExpertWeights(router: router, gateUp: gateUps, down: downs)
    }

    /// llama.cpp's layout (GGUF): gate and up stacked apart (`experts × width × hidden` each, `nn.Linear` layout,
    /// not interleaved), down `experts × hidden × width`, each with its stacked bias.
    private static func llamaCppExperts(
        _ base: String, from w: HuggingFaceWeights, count: Int, hidden h: Int, width f: Int,
        compute: ComputePrecision
    ) throws -> (gateUp: [LinearWeights], down: [LinearWeights]) {
        let gates = try w.tensor(base + "gate_proj.weight", [count, f, h])
        let ups = try w.tensor(base + "up_proj.weight", [count, f, h])
        let downs = try w.tensor(base + "down_proj.weight", [count, h, f])
        let gateBias = try w.tensor(base + "gate_proj.bias", [count, f])
        let upBias = try w.tensor(base + "up_proj.bias", [count, f])
        let downBias = try w.tensor(base + "down_proj.bias", [count, h])
        var gateUp: [LinearWeights] = []
        var down: [LinearWeights] = []
        for e in 0..<count {
            let weight = Array(gates[(e * f * h)..<((e + 1) * f * h)] + ups[(e * f * h)..<((e + 1) * f * h)])
            let bias = Array(gateBias[(e * f)..<((e + 1) * f)] + upBias[(e * f)..<((e + 1) * f)])
            gateUp.append(
                w.held(LinearWeights(weight: Matrix(rows: 2 * f, columns: h, storage: weight), bias: bias), compute))
            down.append(
                w.held(
                    LinearWeights(
                        weight: Matrix(rows: h, columns: f, storage: Array(downs[(e * h * f)..<((e + 1) * h * f)])),
                        bias: Array(downBias[(e * h)..<((e + 1) * h)])), compute))
        }
        return (gateUp, down)
    }

    /// Expert e's matrix of `count` stacked `rows × columns` matrices (transformers' `x · W` layout), transposed to
    /// `columns × rows` (`nn.Linear` layout).
    private static func transposedExperts(_ stacked: [Float], _ rows: Int, _ columns: Int) -> (Int) -> [Float] {
        { e in
            let start = e * rows * columns
            var out = [Float](repeating: 0, count: rows * columns)
            for r in 0..<rows {
                for c in 0..<columns { out[c * rows + r] = stacked[start + r * columns + c] }
            }
            return out
        }
    }
}
