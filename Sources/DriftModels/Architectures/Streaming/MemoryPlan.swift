import DriftCore

/// What a model needs in memory for a compute precision, from its ``ArchitectureSpec`` alone; used to choose between
/// holding every block in memory and streaming blocks one at a time (see
/// ``ModelLoader/model(source:budget:compute:progress:)``).
///
/// The figures count the weights the runtime keeps — float32 for ``ComputePrecision/f32``; for
/// ``ComputePrecision/bf16`` the blocks' linear weights packed in bf16 for the kernel (padding included) and the rest
/// (embeddings, norms, biases) in float32 — and the activations of a packed batch; small buffers (rotary tables,
/// attention scores of one prompt) are left out.
public struct MemoryPlan: Sendable, Equatable {
    /// The precision the sizes are for.
    public let compute: ComputePrecision
    /// Bytes of the embedding weights in float32: token table, learned positions, norms.
    public let embeddingBytes: Int
    /// Bytes of one block's weights as held (the largest block): float32, or with ``ComputePrecision/bf16`` its four
    /// linear weights packed in bf16 and its norms and biases in float32.
    public let blockBytes: Int
    /// Bytes of float32 scratch while one block is converted for ``ComputePrecision/bf16``.
    ///
    /// That is the largest linear weight in float32 — or, for a stacked projection whose parts fill whole panels
    /// (q/k/v, gate/up), its largest part — twice where the checkpoint's layout is rearranged (GPT-2's transposed
    /// `Conv1D`, GPT-NeoX's regrouped fused attention); each is released before the next is read. 0 for
    /// ``ComputePrecision/f32``, whose weights are read straight into the arrays the model keeps. Stores that are not
    /// safetensors (GGUF, quantized views) also hold one checkpoint tensor's float32 values while copying them, with
    /// either precision.
    public let conversionBytes: Int
    /// The number of blocks.
    public let layerCount: Int
    /// Activation bytes per packed prompt token (the forward pass's scratch buffers; with ``ComputePrecision/bf16``
    /// also the bf16 copy of a matrix product's input).
    public let activationBytesPerToken: Int
    /// Bytes per prompt and kept hidden-state index (the pooled results, held by the model and the extractor).
    public let resultBytesPerPromptLayer: Int

    /// The plan for `spec` computed in `compute`.
    ///
    /// `matricesInBFloat16`: the checkpoint stores its matrices in bf16, so that in float32 the linear weights packed
    /// for ``DriftCore/F32GEMM`` are held in bf16 (2 bytes a value; see ``DriftCore/F32PackedMatrix``).
    public init(spec: ArchitectureSpec, compute: ComputePrecision = .f32, matricesInBFloat16: Bool = false) {
        let h = spec.hiddenSize
        let f = spec.intermediateSize
        let gated = spec.gatedMLP ? 2 * f : f
        // The four linear layers as (outputs, inputs): queries/keys/values, attention output, MLP in, MLP out.
        let linears = [(spec.queryKeyValueWidth, h), (h, spec.queryWidth), (gated, h), (h, f)]
        // A routed block holds its router and every expert's gate/up and down instead of the MLP.
        var routedLinears: [(Int, Int)] = []
        var expertActivations = 0
        // In float32 on AVX-512F the experts are packed for F32GEMM: rows padded to whole panels, and packing one
        // needs room for one more expert matrix (the scratch, or the new array when the sizes differ). From a bf16
        // checkpoint the blocks' linear weights are packed for it too, in bf16 (those the family rearranges, and the
        // router, stay float32).
        let usesKernel = compute == .f32 && LinearWeights.usesF32Kernel
        let packsExperts = usesKernel && spec.experts != nil
        let packsInBFloat16 = usesKernel && matricesInBFloat16
        let paddedRows = { (rows: Int) in
            (rows + F32PackedMatrix.panelRows - 1) / F32PackedMatrix.panelRows * F32PackedMatrix.panelRows
        }
        let expertRows = { (rows: Int) in packsExperts ? paddedRows(rows) : rows }
        let copies = spec.architecture.family.conversionParts(spec).copies
        // Bytes of dense linear i as held in float32 compute.
        let float32LinearBytes = { (i: Int) in
            let (rows, columns) = linears[i]
            return packsInBFloat16 && copies[i] == 1 ? 2 * paddedRows(rows) * columns : 4 * rows * columns
        }
        var expertPackingBytes = 0
        var expertBytes = 0
        if let experts = spec.experts {
            let width = experts.intermediateSize
            routedLinears =
                Array(linears[0..<2]) + [(experts.count, h)]
                + Array(repeating: [(expertRows(2 * width), h), (expertRows(h), width)], count: experts.count)
                .flatMap { $0 }
            if packsExperts { expertPackingBytes = 4 * max(expertRows(2 * width) * h, expertRows(h) * width) }
            expertBytes =
                (packsExperts && matricesInBFloat16 ? 2 : 4) * experts.count
                * (expertRows(2 * width) * h + expertRows(h) * width)
            // ExpertKernel: router logits, and one expert's gathered rows, gate/up, activations and output.
            expertActivations = 4 * (experts.count + h + 2 * width + width + h)
        }
        let hasDense = spec.experts.map { $0.layers.contains(false) } ?? true
        let blocks = (hasDense ? [linears] : []) + (routedLinears.isEmpty ? [] : [routedLinears])
        let biases = spec.queryKeyValueWidth + h + gated + h
        let norms = 4 * h + 2 * spec.queryWidth
        let activations = 4 * (4 * h + spec.queryKeyValueWidth + spec.queryWidth + gated + f) + expertActivations
        self.compute = compute
        switch compute {
        case .f32:
            let dense = hasDense ? (0..<4).reduce(0) { $0 + float32LinearBytes($1) } + 4 * (biases + norms) : 0
            let routed =
                spec.experts.map { experts in
                    float32LinearBytes(0) + float32LinearBytes(1) + 4 * experts.count * h + expertBytes + 4
                        * (biases + norms)
                } ?? 0
            blockBytes = max(dense, routed)
            // A linear weight whose parts do not fill whole panels is read in float32, then packed in bf16.
            let widest = packsInBFloat16 ? (0..<4).map { 4 * linears[$0].0 * linears[$0].1 }.max() ?? 0 : 0
            conversionBytes = max(expertPackingBytes, widest)
            activationBytesPerToken = activations
        case .bf16:
            blockBytes =
                blocks.map { block in
                    block.reduce(0) { $0 + BF16PackedMatrix.byteCount(rows: $1.0, columns: $1.1) } + 4
                        * (biases + norms)
                }.max() ?? 0
            // Checkpoint tensors per linear layer (rows of each), and float32 copies alive while one is converted.
            let (parts, copies) = spec.architecture.family.conversionParts(spec)
            let dense =
                (0..<4).map { i in
                    // Parts that fill whole panels are packed one at a time; otherwise the stacked weight is read whole.
                    let rows = BF16PackedMatrix.canPackPartwise(partRows: parts[i]) ? parts[i].max() ?? 0 : linears[i].0
                    return 4 * rows * linears[i].1 * copies[i]
                }.max() ?? 0
            // An expert's gate/up is read whole at most (transformers 5's stacked experts: every expert at once).
            let experts = spec.experts.map { 4 * $0.count * 2 * $0.intermediateSize * h } ?? 0
            conversionBytes = max(dense, experts)
            // Each product's input is packed to bf16 pairs (2 bytes a value) for the kernel; the widest input counts.
            let widestInput = linears.map(\.1).max() ?? h
            activationBytesPerToken = activations + 4 * ((widestInput + 1) / 2)
        }
        embeddingBytes = 4 * (spec.vocabularySize * h + (spec.learnedPositions ?? 0) * h + 4 * h)
        layerCount = spec.layerCount
        resultBytesPerPromptLayer = 2 * 4 * h
    }

    /// The plan for the weights `source` delivers: bf16 sizes when its linear weights come out packed for
    /// `--compute bf16`.
    package init(source: any ModelWeightSource) {
        self.init(
            spec: source.spec, compute: source is BF16WeightSource ? .bf16 : .f32,
            matricesInBFloat16: (source as? HuggingFaceWeights)?.storesMatricesInBFloat16 ?? false)
    }

    /// Every weight in memory, plus the conversion scratch while the last block loads.
    public var inMemoryWeightBytes: Int { embeddingBytes + layerCount * blockBytes + conversionBytes }

    /// The least memory streaming can run in: the embedding table (read once, before the first block) or one block
    /// with its conversion scratch, whichever is larger, without any activations.
    public var minimumStreamingBytes: Int { max(embeddingBytes, blockBytes + conversionBytes) }

    /// Peak bytes of a streaming run over `tokens` packed tokens and `prompts` prompts keeping `keptLayers` hidden
    /// states, holding `blocksInFlight` blocks at once (2 when the next block is prepared while one computes).
    public func streamingBytes(tokens: Int, prompts: Int, keptLayers: Int, blocksInFlight: Int) -> Int {
        let activations = tokens * activationBytesPerToken + prompts * keptLayers * resultBytesPerPromptLayer
        // The full token table exists only while the prompts are embedded, before any block is read.
        return max(embeddingBytes + activations, blocksInFlight * blockBytes + conversionBytes + activations)
    }

    /// How the sizes count the weights, for messages: `all in float32` or the bf16 arrangement.
    var precisionNote: String {
        switch compute {
        case .f32: return "all in float32"
        case .bf16: return "linear weights packed in bf16, the rest in float32"
        }
    }
}
