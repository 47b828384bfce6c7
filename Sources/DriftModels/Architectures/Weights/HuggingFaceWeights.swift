package import DriftCore

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
    /// Whether float32 weights are used in place in the mapped file rather than copied.
    ///
    /// Applies to what the store holds in the runtime's layout (``InPlaceTensorStore``): the linear layers, the token
    /// table and the LM head. For a model held whole in memory in float32; a streamed model's blocks are copies it
    /// can drop.
    package var readsInPlace = false
    /// Set while the embeddings are read with the token table in place: ``matrix(_:_:)`` skips it.
    private var skipsTokenTable = false

    /// Wraps `store` for `spec`, finding the tensor-name prefix the checkpoint uses.
    ///
    /// - Throws: ``DriftCore/DriftError`` when the token embedding is under none of the known names.
    public init(spec: ArchitectureSpec, store: any TensorStore, path: String? = nil) throws {
        self.spec = spec
        self.store = store
        self.path = path
        let embedding = spec.architecture.family.tokenEmbeddingName
        let candidates = spec.architecture.family.tensorPrefixes
        guard let prefix = candidates.first(where: { store.info($0 + embedding) != nil }) else {
            throw DriftError(
                .missing,
                "tensor '\(candidates[0] + embedding)' (the token embedding) is missing; is this a \(spec.modelType) checkpoint?",
                path: path)
        }
        self.prefix = prefix
    }

    // MARK: - Embeddings

    public func embeddingWeights() throws -> EmbeddingWeights {
        let family = spec.architecture.family
        guard let table = try tableInPlace(prefix + family.tokenEmbeddingName) else {
            return try family.embeddingWeights(from: self)
        }
        var reader = self
        reader.skipsTokenTable = true
        var weights = try family.embeddingWeights(from: reader)
        weights.tokensInPlace = table
        return weights
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
    /// With ``ComputePrecision/f32`` a routed block's experts are packed for ``DriftCore/F32GEMM`` where the CPU runs
    /// it (``ExpertWeights/packForF32Kernel()``).
    ///
    /// - Throws: as ``blockWeights(_:)``.
    package func blockWeights(_ layer: Int, compute: ComputePrecision) throws -> BlockWeights {
        guard (0..<spec.layerCount).contains(layer) else {
            throw DriftError(
                .invalidArgument, "block \(layer) does not exist; the model has \(spec.layerCount)", path: path)
        }
        var block = try spec.architecture.family.blockWeights(layer, from: self, compute: compute)
        if compute == .f32 { block.experts?.packForF32Kernel() }
        return block
    }

    /// `layer` as `compute` holds it: unchanged in float32, packed for the bf16 kernel (float32 copy dropped).
    package func held(_ layer: LinearWeights, _ compute: ComputePrecision) -> LinearWeights {
        compute == .bf16 ? layer.packedForBF16() : layer
    }

    // MARK: - Tensor access with shape checks

    /// The description of tensor `prefix + name`, after checking its shape is `shape`.
    private func checkedInfo(_ name: String, _ shape: [Int]) throws -> TensorInfo {
        let full = prefix + name
        guard let info = store.info(full) else {
            throw DriftError(.missing, "tensor '\(full)' is missing (expected shape \(shape))", path: path)
        }
        try check(info, shape)
        return info
    }

    /// Throws unless the tensor `info` describes has shape `shape`, as `config.json` implies.
    func check(_ info: TensorInfo, _ shape: [Int]) throws {
        guard info.shape == shape else {
            throw DriftError(
                .corruptFile,
                "tensor '\(info.name)' has shape \(info.shape) but config.json implies \(shape)", path: path)
        }
    }

    /// Tensors `fullNames` (matrices of `shapes`, checked) stacked and read in place when ``readsInPlace`` is on and
    /// the store holds them as float32 in the runtime's layout, one after the other; else nil.
    package func rowsInPlace(_ fullNames: [String], _ shapes: [[Int]]) throws -> WeightRows? {
        guard readsInPlace, let store = store as? any InPlaceTensorStore else { return nil }
        for (name, shape) in zip(fullNames, shapes) {
            guard shape.count == 2, shape[1] == shapes[0][1], let info = store.info(name) else { return nil }
            try check(info, shape)
        }
        return store.rowsInPlace(fullNames, rows: shapes.reduce(0) { $0 + $1[0] })
    }

    /// The token table `fullName` (`vocabulary × hidden`, checked) read in place, float32 or bf16, when
    /// ``readsInPlace`` is on and the store holds it so; else nil.
    private func tableInPlace(_ fullName: String) throws -> WeightRows? {
        guard readsInPlace, let store = store as? any InPlaceTensorStore, let info = store.info(fullName) else {
            return nil
        }
        try check(info, [spec.vocabularySize, spec.hiddenSize])
        return store.tableInPlace(fullName, rows: spec.vocabularySize)
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
        if let direct = store as? any TensorFillingStore {
            try direct.copyFloats(info.name, into: destination)
            (store as? any PageReleasingStore)?.releasePages(info.name)
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
    package func stackedLinear(
        _ names: [String], _ shapes: [[Int]], bias: Bool, _ compute: ComputePrecision
    ) throws -> LinearWeights {
        let infos = try zip(names, shapes).map { try checkedInfo($0 + ".weight", $1) }
        let rows = shapes.reduce(0) { $0 + $1[0] }
        let columns = shapes[0][1]
        let biases = bias ? try zip(names, shapes).flatMap { try tensor($0 + ".bias", [$1[0]]) } : nil
        if compute == .bf16, let packed = packedFromBFloat16(infos, shapes) {
            return LinearWeights(packed: packed, bias: biases)
        }
        if compute == .bf16, BF16PackedMatrix.canPackPartwise(partRows: shapes.map { $0[0] }) {
            let packed = try BF16PackedMatrix(columns: columns, partRows: shapes.map { $0[0] }) { index in
                Matrix(
                    rows: shapes[index][0], columns: columns,
                    storage: try tensor(names[index] + ".weight", shapes[index]))
            }
            return LinearWeights(packed: packed, bias: biases)
        }
        if compute == .f32, let packed = f32PackedFromBFloat16(infos, shapes) {
            return LinearWeights(packedF32: packed, bias: biases)
        }
        if compute == .f32, let inPlace = try rowsInPlace(names.map { prefix + $0 + ".weight" }, shapes) {
            return LinearWeights(inPlace: inPlace, bias: biases)
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
        return compute == .f32 ? packedForF32Kernel(layer, from: infos.map(\.name)) : held(layer, compute)
    }

    /// Tensor `prefix + name` as a matrix of `shape` (empty for the token table while ``embeddingWeights()`` reads
    /// it in place).
    package func matrix(_ name: String, _ shape: [Int]) throws -> Matrix {
        if skipsTokenTable && name == spec.architecture.family.tokenEmbeddingName { return Matrix(rows: 0, columns: 0) }
        return Matrix(rows: shape[0], columns: shape[1], storage: try tensor(name, shape))
    }

    /// Linear layer `prefix + name` as `compute` holds it: with bf16 packed straight from the file's bf16 values
    /// where it stores them so (no float32 copy), else read in float32 and then ``held(_:_:)``.
    package func linear(
        _ name: String, _ shape: [Int], bias: Bool, _ compute: ComputePrecision
    ) throws -> LinearWeights {
        if compute == .bf16, let packed = packedFromBFloat16([try checkedInfo(name + ".weight", shape)], [shape]) {
            return LinearWeights(packed: packed, bias: bias ? try tensor(name + ".bias", [shape[0]]) : nil)
        }
        if compute == .f32 {
            let info = try checkedInfo(name + ".weight", shape)
            if let packed = f32PackedFromBFloat16([info], [shape]) {
                return LinearWeights(packedF32: packed, bias: bias ? try tensor(name + ".bias", [shape[0]]) : nil)
            }
            return packedForF32Kernel(try linear(name, shape, bias: bias), from: [info.name])
        }
        return held(try linear(name, shape, bias: bias), compute)
    }

    /// Whether every matrix of the checkpoint lies in its file as bf16 (a quantized view's are not), so that the
    /// linear weights packed for the float32 kernel are held in bf16 (see
    /// ``MemoryPlan/init(spec:compute:matricesInBFloat16:)``).
    package var storesMatricesInBFloat16: Bool {
        guard let store = store as? any InPlaceTensorStore else { return false }
        let matrices = store.tensors.filter { $0.shape.count >= 2 }
        return !matrices.isEmpty && matrices.allSatisfy { store.storedRegion($0.name, as: .bfloat16) != nil }
    }

    /// The tensors `infos` (matrices of `shapes`, already checked) stacked for the float32 kernel straight from the
    /// file's bf16 values, held in bf16 (see ``DriftCore/F32PackedMatrix``); nil unless ``LinearWeights/usesF32Kernel``,
    /// the store holds every one as bf16 in the runtime's layout, and every part but the last fills whole panels.
    func f32PackedFromBFloat16(_ infos: [TensorInfo], _ shapes: [[Int]]) -> F32PackedMatrix? {
        guard LinearWeights.usesF32Kernel, let store = store as? any InPlaceTensorStore else { return nil }
        let packed = store.withBFloat16(infos.map(\.name)) { pointers in
            F32PackedMatrix(columns: shapes[0][1], bf16Parts: zip(pointers, shapes).map { (values: $0, rows: $1[0]) })
        }
        return packed ?? nil
    }

    /// `layer`, read in float32 from the tensors `fullNames`, packed for the float32 kernel when the file stores
    /// every one of them as bf16 (its values are then bf16 numbers, held in bf16); else `layer` as it is.
    private func packedForF32Kernel(_ layer: LinearWeights, from fullNames: [String]) -> LinearWeights {
        guard LinearWeights.usesF32Kernel, let store = store as? any InPlaceTensorStore,
            fullNames.allSatisfy({ store.storedRegion($0, as: .bfloat16) != nil })
        else { return layer }
        var layer = layer
        var scratch: [Float] = []
        layer.packForF32(scratch: &scratch)
        return layer
    }

    /// The tensors `infos` (matrices of `shapes`, already checked) stacked for the bf16 kernel straight from the
    /// file's bf16 values: read where they lie when ``readsInPlace`` is on, else packed; nil unless the store holds
    /// every one as bf16 in the runtime's layout (and, to pack, every part but the last fills whole panels).
    private func packedFromBFloat16(_ infos: [TensorInfo], _ shapes: [[Int]]) -> BF16PackedMatrix? {
        guard let store = store as? any InPlaceTensorStore else { return nil }
        if readsInPlace, let rows = store.bf16RowsInPlace(infos.map(\.name), columns: shapes[0][1]) {
            return BF16PackedMatrix(inPlace: rows)
        }
        guard BF16PackedMatrix.canPackPartwise(partRows: shapes.map { $0[0] }) else { return nil }
        return store.withBFloat16(infos.map(\.name)) { pointers in
            BF16PackedMatrix(
                columns: shapes[0][1], bf16Parts: zip(pointers, shapes).map { (values: $0, rows: $1[0]) })
        }
    }

    package func linear(_ name: String, _ shape: [Int], bias: Bool) throws -> LinearWeights {
        let bias = bias ? try tensor(name + ".bias", [shape[0]]) : nil
        if let rows = try rowsInPlace([prefix + name + ".weight"], [shape]) {
            return LinearWeights(inPlace: rows, bias: bias)
        }
        return LinearWeights(weight: try matrix(name + ".weight", shape), bias: bias)
    }

    package func norm(_ name: String, _ width: Int) throws -> NormWeights {
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
