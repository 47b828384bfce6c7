/// The element encoding of a stored tensor.
public enum TensorDataType: String, Sendable, Equatable, CaseIterable {
    case float32 = "F32"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case float64 = "F64"
    case int8 = "I8"
    case int16 = "I16"
    case int32 = "I32"
    case int64 = "I64"
    case uint8 = "U8"
    case bool = "BOOL"
}

/// What a weight file says about one tensor, before any of its data is read.
public struct TensorInfo: Sendable, Equatable {
    /// The tensor's name in its file, such as `model.layers.0.self_attn.q_proj.weight`.
    public var name: String
    /// The stored encoding (for GGUF block-quantized types, the GGUF type name).
    public var typeName: String
    /// Dimensions outermost first, as PyTorch and numpy order them (a linear weight is `[out, in]`).
    public var shape: [Int]

    public init(name: String, typeName: String, shape: [Int]) {
        self.name = name
        self.typeName = typeName
        self.shape = shape
    }

    /// The number of elements.
    public var elementCount: Int { shape.reduce(1, *) }
}

/// A source of named tensors: a safetensors checkpoint (one file or shards), a GGUF file, or a quantized view of either.
///
/// The seam between model files and the runtime: the runtime asks for a tensor by name and gets float32 values.
public protocol TensorStore: Sendable {
    /// Every tensor's description, in file order.
    var tensors: [TensorInfo] { get }

    /// The description of tensor `name`, or nil when the store has none by that name.
    func info(_ name: String) -> TensorInfo?

    /// The values of tensor `name` as float32, row-major in ``TensorInfo/shape`` order.
    ///
    /// - Throws: ``DriftCore/DriftError`` naming the file and tensor when it is missing or its data cannot be read.
    func floats(_ name: String) throws -> [Float]
}

extension TensorStore {
    public func info(_ name: String) -> TensorInfo? {
        tensors.first { $0.name == name }
    }
}
