import DriftCore
import Foundation

/// A model ready for extraction: its tokenizer, its native forward pass and the identity of its files.
public struct LoadedCheckpoint: Sendable {
    /// What loading is doing, for a progress display.
    public enum Stage: Sendable, Equatable {
        /// Hashing the model's files for its fingerprint.
        case inspecting
        /// Reading `tokenizer.json`.
        case tokenizer
        /// `config.json` was read: the architecture and its number of blocks.
        case configuration(modelType: String, layers: Int)
        /// Block `loaded` of `total` is in memory.
        case block(loaded: Int, total: Int)
    }

    /// The model as the user gave it.
    public let path: String
    /// The checkpoint's tokenizer.
    public let tokenizer: any Tokenizer
    /// The checkpoint's forward pass.
    public let model: any HiddenStateModel
    /// The hash and weight dtype of the checkpoint's files.
    public let files: ModelFiles
    /// Seconds spent loading (hashing, tokenizer, weights).
    public let loadSeconds: Double
    /// The quantization applied on load (`model@scheme`), or nil.
    public var scheme: QuantizationScheme? = nil
    /// The linear layers' arithmetic (`--compute`).
    public var compute: ComputePrecision = .f32
    /// The model's files as they were when loaded (empty for a checkpoint built from parts).
    package var fileStamps: [FileStamp] = []

    /// Creates a checkpoint from parts already loaded (tests, live mode).
    public init(
        path: String, tokenizer: any Tokenizer, model: any HiddenStateModel, files: ModelFiles, loadSeconds: Double
    ) {
        self.path = path
        self.tokenizer = tokenizer
        self.model = model
        self.files = files
        self.loadSeconds = loadSeconds
    }

    /// Loads the model named by `text`, a ``ModelReference`` (`<folder or .gguf file>[@<scheme>]`).
    ///
    /// - Throws: ``DriftCore/DriftError`` as ``ModelReference/init(parsing:)`` and ``load(_:progress:)-(ModelReference,_)``.
    public static func load(
        _ text: String, budget: MemoryBudget = .automatic, compute: ComputePrecision = .f32,
        progress: (@Sendable (Stage) -> Void)? = nil
    ) throws -> LoadedCheckpoint {
        try load(try ModelReference(parsing: text), budget: budget, compute: compute, progress: progress)
    }

    /// Loads a model: a Hugging Face checkpoint folder (`config.json`, `tokenizer.json`, safetensors weights, one file
    /// or shards) or a GGUF file (configuration, tokenizer and weights from the file, dequantized), every weight in
    /// float32, quantized on the fly when the reference has a scheme.
    ///
    /// - Parameters:
    ///   - reference: the model.
    ///   - budget: the memory the model may use; when its weights as held for `compute` exceed it, blocks are
    ///     streamed from disk (see ``ModelLoader/model(source:budget:compute:progress:)``).
    ///   - compute: the linear layers' arithmetic (``ComputePrecision``).
    ///   - progress: called as loading advances (on the calling thread).
    /// - Throws: ``DriftCore/DriftError`` for a missing folder or file, an unsupported architecture or tokenizer, a
    ///   missing shard or tensor, shapes that contradict the configuration, a budget too small for even one block,
    ///   or bf16 compute on a CPU without AVX-512 BF16 (checked before anything is read).
    public static func load(
        _ reference: ModelReference, budget: MemoryBudget = .automatic, compute: ComputePrecision = .f32,
        progress: (@Sendable (Stage) -> Void)? = nil
    ) throws -> LoadedCheckpoint {
        try compute.checkSupported()
        let clock = ContinuousClock()
        let start = clock.now
        let path = reference.path
        let url = URL(fileURLWithPath: path)
        let forward: (ModelLoader.Progress) -> Void = { stage in
            switch stage {
            case .configuration(let modelType, let layers):
                progress?(.configuration(modelType: modelType, layers: layers))
            case .block(let loaded, let total): progress?(.block(loaded: loaded, total: total))
            }
        }
        progress?(.inspecting)
        // The files' identity is hashed on a side thread while the model loads; its errors come first, as when it
        // was computed first.
        let (inspected, loaded) = SideThread.overlapping({ try ModelFiles.inspect(url) }) {
            try Self.tokenizerAndModel(
                reference, budget: budget, compute: compute, progress: progress, forward: forward)
        }
        var files = try inspected.get()
        let (tokenizer, model, dominantType) = try loaded.get()
        if let dominantType { files.weightDType = dominantType }
        var checkpoint = LoadedCheckpoint(
            path: path, tokenizer: tokenizer, model: model, files: files, loadSeconds: (clock.now - start).seconds)
        checkpoint.scheme = reference.scheme
        checkpoint.compute = compute
        let folder = reference.kind == .checkpointFolder ? url : nil
        checkpoint.fileStamps =
            (folder.map { folder in files.files.map { folder.appendingPathComponent($0).path } }
            ?? [path]).compactMap(FileStamp.of)
        return checkpoint
    }

    /// Throws when a file of the model changed on disk since it was loaded (see ``FileStamp``): the weights read in
    /// place would no longer be the ones loaded.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file.
    package func checkFilesUnchanged() throws {
        for stamp in fileStamps { try stamp.checkUnchanged() }
    }

    /// The tokenizer and the model `reference` names, and for a GGUF file the GGML type holding most elements.
    private static func tokenizerAndModel(
        _ reference: ModelReference, budget: MemoryBudget, compute: ComputePrecision,
        progress: (@Sendable (Stage) -> Void)?, forward: @escaping (ModelLoader.Progress) -> Void
    ) throws -> (any Tokenizer, any HiddenStateModel, String?) {
        let path = reference.path
        let url = URL(fileURLWithPath: path)
        switch reference.kind {
        case .safetensorsFile:
            throw DriftError(
                .unsupported,
                "extraction needs the whole checkpoint folder (config.json, tokenizer.json, *.safetensors), not one .safetensors file",
                path: path)
        case .checkpointFolder:
            progress?(.tokenizer)
            let (tokenizer, model) = try Self.overlapping(tokenizer: { try TokenizerLoader.load(folder: url) }) {
                let base = try SafetensorsStore(path: path)
                let store: any TensorStore =
                    reference.scheme.map { QuantizedTensorStore(base: base, scheme: $0) } ?? base
                return try ModelLoader.load(
                    folder: path, store: store, budget: budget, compute: compute, progress: forward)
            }
            return (tokenizer, model, nil)
        case .ggufFile:
            let file = try GGUFFile(path: path)
            _ = try ModelLoader.spec(gguf: file)  // an unsupported architecture is reported before the tokenizer
            progress?(.tokenizer)
            let metadata = try GGUFTokenizerMetadata(gguf: file)
            let (tokenizer, model) = try Self.overlapping(tokenizer: { try metadata.makeTokenizer(path: path) }) {
                try ModelLoader.load(
                    gguf: file, scheme: reference.scheme, budget: budget, compute: compute, progress: forward)
            }
            return (tokenizer, model, Self.dominantType(file))
        }
    }

    /// Builds the tokenizer on a side thread while `weights` loads on this one.
    ///
    /// One core of string tables beside page tables and copies on every core. A tokenizer error is reported first,
    /// as when the tokenizer loaded before the weights.
    private static func overlapping(
        tokenizer: @escaping @Sendable () throws -> any Tokenizer, weights: () throws -> any HiddenStateModel
    ) throws -> (any Tokenizer, any HiddenStateModel) {
        let (tokenizer, model) = SideThread.overlapping(tokenizer, with: weights)
        return (try tokenizer.get(), try model.get())
    }

    /// The GGML type holding most of a GGUF file's elements (`Q5_0`, `F32`, …).
    static func dominantType(_ file: GGUFFile) -> String {
        var elements: [String: Int] = [:]
        for tensor in file.tensors { elements[tensor.type.name, default: 0] += tensor.elementCount }
        return elements.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "unknown"
    }
}
