import DriftCore

extension HuggingFaceWeights {
    /// The router and experts of the routed block named `p` (`…layers.N.`), as `compute` holds them.
    ///
    /// The experts' projections are held as `compute` says; the router always stays in float32.
    ///
    /// Reads one tensor per expert (`experts.3.gate_proj.weight`, as checkpoints on the Hub store them), or
    /// llama.cpp's stacked tensors (`experts.gate_proj.weight`, `up_proj`: `experts × width × hidden`;
    /// `down_proj`: `experts × hidden × width`), or the stacked tensors transformers 5 keeps (`experts.gate_up_proj`:
    /// `experts × 2·width × hidden`; `experts.down_proj`: `experts × hidden × width`).
    package func expertWeights(
        _ p: String, names n: ExpertTensorNames, routing: ArchitectureSpec.ExpertRouting, compute: ComputePrecision
    ) throws -> ExpertWeights {
        let h = spec.hiddenSize
        let f = routing.intermediateSize
        let count = routing.count
        let routerName = prefix + p + n.router + ".weight"
        if let info = store.info(routerName), info.shape.count == 2, info.shape[0] != count {
            throw DriftError(
                .corruptFile,
                "config.json gives \(count) experts (num_experts / num_local_experts), but the router '\(routerName)' chooses among \(info.shape[0])",
                path: path)
        }
        // The router stays in float32 with any compute precision: it is small, and bf16 rounding of its logits would
        // flip the choice of experts where two are nearly tied, changing a token's output far more than rounding.
        let router = try linear(p + n.router, [count, h], bias: false)
        let base = p + n.experts + "."
        if store.info(prefix + base + "0.\(n.gate).weight") != nil {
            // Experts the F32 kernel packs are copied (packed), never also kept mapped.
            var reader = self
            reader.readsInPlace = readsInPlace && !LinearWeights.usesF32Kernel
            var gateUp: [LinearWeights] = []
            var down: [LinearWeights] = []
            for e in 0..<count {
                let expert = base + "\(e)."
                gateUp.append(
                    try reader.stackedLinear(
                        [expert + n.gate, expert + n.up], [[f, h], [f, h]], bias: false, compute))
                down.append(try reader.linear(expert + n.down, [h, f], bias: false, compute))
            }
            return ExpertWeights(router: router, gateUp: gateUp, down: down)
        }
        if let info = store.info(prefix + base + "gate_proj.weight"), info.shape.count == 3 {
            // llama.cpp's stacked ffn_gate_exps / ffn_up_exps / ffn_down_exps (GGUF), one tensor per projection.
            let gates = try tensor(base + "gate_proj.weight", [count, f, h])
            let ups = try tensor(base + "up_proj.weight", [count, f, h])
            let gateUp = (0..<count).map { e in
                let part = Array(gates[(e * f * h)..<((e + 1) * f * h)] + ups[(e * f * h)..<((e + 1) * f * h)])
                return held(LinearWeights(weight: Matrix(rows: 2 * f, columns: h, storage: part), bias: nil), compute)
            }
            let down = experts(
                try tensor(base + "down_proj.weight", [count, h, f]), count: count, rows: h, columns: f, compute)
            return ExpertWeights(router: router, gateUp: gateUp, down: down)
        }
        guard store.info(prefix + base + "gate_up_proj") != nil else {
            throw DriftError(
                .missing,
                "tensor '\(prefix + base)0.\(n.gate).weight' (the first expert) is missing, and so is the stacked '\(prefix + base)gate_up_proj'",
                path: path)
        }
        let gateUp = experts(
            try tensor(base + "gate_up_proj", [count, 2 * f, h]), count: count, rows: 2 * f, columns: h, compute)
        let down = experts(try tensor(base + "down_proj", [count, h, f]), count: count, rows: h, columns: f, compute)
        return ExpertWeights(router: router, gateUp: gateUp, down: down)
    }

    /// The `count` experts' matrices of one stacked `count × rows × columns` tensor, each held as `compute` says
    /// as soon as it is cut out.
    private func experts(
        _ stacked: [Float], count: Int, rows: Int, columns: Int, _ compute: ComputePrecision
    ) -> [LinearWeights] {
        let size = rows * columns
        return (0..<count).map { e in
            let part = Array(stacked[(e * size)..<((e + 1) * size)])
            return held(LinearWeights(weight: Matrix(rows: rows, columns: columns, storage: part), bias: nil), compute)
        }
    }
}
