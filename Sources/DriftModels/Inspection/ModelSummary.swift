import DriftCore
import Foundation

/// What `inspect` reports about a model: a Hugging Face checkpoint folder (or one `.safetensors` file) or a GGUF file.
public struct ModelSummary: Sendable, Codable, Equatable {
    /// One metadata entry of a GGUF file, rendered.
    public struct MetadataItem: Sendable, Codable, Equatable {
        /// The key.
        public var key: String
        /// The GGUF type (`UINT32`, `STRING`, `ARRAY`, …).
        public var type: String
        /// The value, rendered (arrays as element type and count).
        public var value: String
    }

    /// One tensor, as stored.
    public struct TensorItem: Sendable, Codable, Equatable {
        /// The name.
        public var name: String
        /// The stored type (`BF16`, `Q4_K`, …).
        public var type: String
        /// Dimensions outermost first.
        public var shape: [Int]
    }

    /// The model path given.
    public var path: String
    /// `safetensors` or `gguf`.
    public var format: String
    /// GGUF version, or nil.
    public var formatVersion: Int?
    /// Number of weight files (shards), 1 for GGUF.
    public var fileCount: Int
    /// The architecture: `model_type` of config.json, or `general.architecture` of a GGUF file; nil when unknown.
    public var architecture: String?
    /// config.json's `architectures[0]` or GGUF `general.name`, when present.
    public var name: String?
    /// Number of elements of all floating-point and quantized tensors (integer buffers excluded).
    public var parameterCount: Int
    /// Number of tensors per stored type (`BF16` → 146).
    public var tensorCountByType: [String: Int]
    /// Number of parameters per stored type.
    public var parameterCountByType: [String: Int]
    /// Number of blocks, when known.
    public var layerCount: Int?
    /// Hidden size, when known.
    public var hiddenSize: Int?
    /// Feed-forward size, when known.
    public var intermediateSize: Int?
    /// Query heads, when known.
    public var attentionHeadCount: Int?
    /// Key/value heads, when known.
    public var keyValueHeadCount: Int?
    /// Vocabulary size of the model's embedding, when known.
    public var vocabularySize: Int?
    /// Context length, when known.
    public var maxPositionEmbeddings: Int?
    /// The declared weight dtype (config.json `dtype`/`torch_dtype`), when present.
    public var declaredDType: String?
    /// The tokenizer's kind, or nil when there is none.
    public var tokenizerKind: String?
    /// The tokenizer's vocabulary size (added tokens included), or nil.
    public var tokenizerVocabularySize: Int?
    /// The tokenizer file read (`tokenizer.json`), or the GGUF file; nil when there is none.
    public var tokenizerSource: String?
    /// Why the tokenizer cannot be used by this tool (kind and size then come from its JSON), or nil.
    public var tokenizerProblem: String?
    /// GGUF metadata entries (`general.*`, architecture keys and scalar tokenizer keys), in file order; empty otherwise.
    public var metadata: [MetadataItem]
    /// Every tensor, in file order.
    public var tensors: [TensorItem]
    /// The quantization scheme of an `@scheme` variant, or nil.
    public var scheme: String? = nil
    /// Routed experts per Mixture-of-Experts block, or nil for a dense model.
    public var expertCount: Int? = nil
    /// Experts each token uses (top-k), or nil for a dense model.
    public var activeExpertCount: Int? = nil
    /// Parameters one token uses: all of them but the experts it does not route to (nil for a dense model, where
    /// every parameter is active).
    public var activeParameterCount: Int? = nil

    /// Summarises the model at `path`: a checkpoint folder (needs `config.json` and safetensors weights), a
    /// `.safetensors` file, or a `.gguf` file.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file and the problem.
    public static func inspect(path: String) throws -> ModelSummary {
        try inspect(path: path, scheme: nil)
    }

    /// Summarises `path` as ``inspect(path:)`` does; with a scheme, the tensors it quantizes (the block linear
    /// weights, as ``QuantizedTensorStore`` chooses them) report the scheme as their type and the counts follow.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file and the problem.
    public static func inspect(path: String, scheme: QuantizationScheme?) throws -> ModelSummary {
        var summary = try plainSummary(path: path)
        guard let scheme else { return summary }
        summary.scheme = scheme.rawValue
        let infos = summary.tensors.map { TensorInfo(name: $0.name, typeName: $0.type, shape: $0.shape) }
        let viewed = QuantizedTensorStore(base: StaticTensorList(tensors: infos), scheme: scheme).tensors
        // GGUF blocks are named `blk.N.…`; QuantizedTensorStore recognises them, norms excluded by name.
        summary.tensors = viewed.map { TensorItem(name: $0.name, type: $0.typeName, shape: $0.shape) }
        (summary.parameterCount, summary.tensorCountByType, summary.parameterCountByType) = counts(viewed)
        return summary
    }

    private static func plainSummary(path: String) throws -> ModelSummary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DriftError(.missing, "no such file or folder", path: path)
        }
        if !isDirectory.boolValue && !path.lowercased().hasSuffix(".safetensors") {
            return try inspectGGUF(path: path)
        }
        return try inspectCheckpoint(path: path, isFolder: isDirectory.boolValue)
    }

    private static func isParameter(_ type: String) -> Bool {
        !["I8", "I16", "I32", "I64", "U8", "U16", "U32", "U64", "BOOL"].contains(type)
    }

    private static func counts(_ tensors: [TensorInfo]) -> (Int, [String: Int], [String: Int]) {
        var total = 0
        var byTypeTensors: [String: Int] = [:]
        var byTypeParameters: [String: Int] = [:]
        for tensor in tensors {
            byTypeTensors[tensor.typeName, default: 0] += 1
            byTypeParameters[tensor.typeName, default: 0] += tensor.elementCount
            if isParameter(tensor.typeName) { total += tensor.elementCount }
            // MXFP4 (gpt-oss's experts): two parameters in every byte of `…_blocks`; `…_scales` hold none.
            if tensor.typeName == "U8", tensor.name.hasSuffix("_blocks") { total += 2 * tensor.elementCount }
        }
        return (total, byTypeTensors, byTypeParameters)
    }

    private static func inspectCheckpoint(path: String, isFolder: Bool) throws -> ModelSummary {
        let folder = isFolder ? path : URL(fileURLWithPath: path).deletingLastPathComponent().path
        let configPath = URL(fileURLWithPath: folder).appendingPathComponent("config.json").path
        let config: ModelConfiguration?
        if isFolder || FileManager.default.fileExists(atPath: configPath) {
            config = try ModelConfiguration(path: configPath)
        } else {
            config = nil
        }
        let store = try SafetensorsStore(path: path)
        let (total, tensorCounts, parameterCounts) = counts(store.tensors)
        // The tokenizer as the tool will use it; when it cannot be built, what its tokenizer.json declares.
        var tokenizerKind: String?
        var tokenizerSize: Int?
        var tokenizerSource: String?
        var tokenizerProblem: String?
        do {
            let file = try TokenizerFileSummary.locate(folder: folder)
            tokenizerSource = file
            do {
                let tokenizer = try TokenizerLoader.load(tokenizerJSON: URL(fileURLWithPath: file))
                tokenizerKind = tokenizer.kindDescription
                tokenizerSize = tokenizer.vocabularySize
            } catch let error as DriftError {
                let declared = try TokenizerFileSummary(path: file)
                tokenizerKind = declared.kind
                tokenizerSize = declared.vocabularySize
                tokenizerProblem = error.message
            }
        } catch let error as DriftError where error.kind == .missing {
            tokenizerSource = nil
        }
        var summary = ModelSummary(
            path: path, format: "safetensors", formatVersion: nil, fileCount: store.files.count,
            architecture: config?.architecture.rawValue, name: config?.architectureClass, parameterCount: total,
            tensorCountByType: tensorCounts, parameterCountByType: parameterCounts, layerCount: config?.layerCount,
            hiddenSize: config?.hiddenSize, intermediateSize: config?.intermediateSize,
            attentionHeadCount: config?.attentionHeadCount, keyValueHeadCount: config?.keyValueHeadCount,
            vocabularySize: config?.vocabularySize, maxPositionEmbeddings: config?.maxPositionEmbeddings,
            declaredDType: config?.dtype, tokenizerKind: tokenizerKind,
            tokenizerVocabularySize: tokenizerSize, tokenizerSource: tokenizerSource,
            tokenizerProblem: tokenizerProblem, metadata: [],
            tensors: store.tensors.map { TensorItem(name: $0.name, type: $0.typeName, shape: $0.shape) })
        if let config, let routing = try? ArchitectureSpec(configuration: config, path: configPath).experts {
            summary.setExperts(
                count: routing.count, active: routing.active,
                inactivePerBlock: (routing.count - routing.active) * 3 * routing.intermediateSize * config.hiddenSize,
                routedBlocks: routing.layers.filter { $0 }.count)
        }
        return summary
    }

    /// Records a Mixture-of-Experts model's experts and the parameters one token uses: each routed block leaves
    /// `count − active` experts (gate, up and down: `3 · width · hidden` parameters each) idle.
    private mutating func setExperts(count: Int, active: Int, inactivePerBlock: Int, routedBlocks: Int) {
        expertCount = count
        activeExpertCount = active
        activeParameterCount = parameterCount - inactivePerBlock * routedBlocks
    }

    private static func inspectGGUF(path: String) throws -> ModelSummary {
        let file = try GGUFFile(path: path)
        let infos = file.tensors.map(\.info)
        let (total, tensorCounts, parameterCounts) = counts(infos)
        let architecture = file.architecture
        func key(_ suffix: String) -> Int? { architecture.flatMap { file.integer("\($0).\(suffix)") } }
        let tokens = file.array("tokenizer.ggml.tokens")
        let tokenizerModel = file.string("tokenizer.ggml.model")
        let kind: String?
        switch tokenizerModel {
        case "llama"?: kind = "SentencePiece BPE"
        case "gpt2"?: kind = "byte-level BPE"
        case "bert"?: kind = "WordPiece"
        case let other?: kind = other
        case nil: kind = nil
        }
        let shown = file.metadata.filter { entry in
            if entry.key.hasPrefix("general.") { return true }
            if let architecture, entry.key.hasPrefix(architecture + ".") { return true }
            if entry.key.hasPrefix("tokenizer."), !(entry.value.arrayValue.map { $0.count > 64 } ?? false) {
                return true
            }
            return false
        }
        let blockCount = key("block_count")
        // The MLP width as llama.cpp takes it, from `ffn_up` (GPT-2 files state 4 × hidden whatever `n_inner` is).
        let feedForward = file.tensor("blk.0.ffn_up.weight").flatMap {
            $0.dimensions.count == 2 ? $0.dimensions[1] : nil
        }
        var summary = ModelSummary(
            path: path, format: "gguf", formatVersion: file.version, fileCount: 1, architecture: architecture,
            name: file.string("general.name"), parameterCount: total, tensorCountByType: tensorCounts,
            parameterCountByType: parameterCounts, layerCount: blockCount, hiddenSize: key("embedding_length"),
            intermediateSize: feedForward ?? key("feed_forward_length"),
            attentionHeadCount: key("attention.head_count"),
            keyValueHeadCount: key("attention.head_count_kv") ?? key("attention.head_count"),
            vocabularySize: key("vocab_size") ?? tokens?.count, maxPositionEmbeddings: key("context_length"),
            declaredDType: nil, tokenizerKind: kind, tokenizerVocabularySize: tokens?.count,
            tokenizerSource: tokens == nil ? nil : path, tokenizerProblem: nil,
            metadata: shown.map { MetadataItem(key: $0.key, type: $0.value.typeName, value: $0.value.summary) },
            tensors: infos.map { TensorItem(name: $0.name, type: $0.typeName, shape: $0.shape) })
        // llama.cpp's MoE keys; the stacked `ffn_*_exps` tensors give the expert width.
        if let count = key("expert_count"), count > 0, let active = key("expert_used_count"),
            let hidden = key("embedding_length"),
            let width = file.tensor("blk.0.ffn_down_exps.weight").flatMap({ $0.dimensions.first })
                ?? key("expert_feed_forward_length")
        {
            let routed = Set(
                file.tensors.compactMap { GGUFModelStore.BlockTensor($0.name) }
                    .filter { $0.tensor == "ffn_gate_inp" }.map(\.layer)
            ).count
            summary.setExperts(
                count: count, active: active, inactivePerBlock: max(0, count - active) * 3 * width * hidden,
                routedBlocks: routed)
        }
        return summary
    }
}

/// A tensor list without data, to reuse ``QuantizedTensorStore``'s choice of tensors for `inspect`.
private struct StaticTensorList: TensorStore {
    let tensors: [TensorInfo]

    func floats(_ name: String) throws -> [Float] {
        throw DriftError(.unsupported, "inspect reads no tensor data ('\(name)')")
    }
}
