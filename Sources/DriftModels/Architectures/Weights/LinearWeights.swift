public import DriftCore

/// One linear layer in float32: `y = x · Wᵀ + b`.
public struct LinearWeights: Sendable {
    /// The weight, `outputs × inputs` (PyTorch's `nn.Linear` layout).
    public var weight: Matrix
    /// The bias, `outputs` values, or nil.
    public var bias: [Float]?
    /// The weight rounded to bf16 and packed for `--compute bf16`; when set, ``weight`` is empty (0 × 0).
    package var packedBF16: BF16PackedMatrix?
    /// The weight packed for ``DriftCore/F32GEMM`` (experts on AVX-512F); when set, ``weight`` is empty (0 × 0).
    package var packedF32: F32PackedMatrix?
    /// The weight read in place from the model file where it stores it as float32 (see ``InPlaceTensorStore``);
    /// when set, ``weight`` is empty (0 × 0).
    package var inPlace: WeightRows?

    /// Creates a linear layer; `bias`, when given, has `weight.rows` values.
    public init(weight: Matrix, bias: [Float]? = nil) {
        precondition(bias == nil || bias?.count == weight.rows, "bias length must equal the weight's rows")
        self.weight = weight
        self.bias = bias
    }

    /// A layer whose weight is read in place (see ``inPlace``); `bias`, when given, has `inPlace.rows` values.
    package init(inPlace: WeightRows, bias: [Float]?) {
        precondition(bias == nil || bias?.count == inPlace.rows, "bias length must equal the weight's rows")
        self.weight = Matrix(rows: 0, columns: 0)
        self.bias = bias
        self.inPlace = inPlace
    }

    /// Output width.
    public var outputs: Int { packedBF16?.rows ?? packedF32?.rows ?? inPlace?.rows ?? weight.rows }
    /// Input width.
    public var inputs: Int { packedBF16?.columns ?? packedF32?.columns ?? inPlace?.columns ?? weight.columns }

    /// The float32 weight, wherever it is held: the rows read in place, ``weight``, or the packed float32 kernel's
    /// values unpacked (a copy).
    package var float32Rows: WeightRows { inPlace ?? packedF32.map { WeightRows($0.matrix) } ?? WeightRows(weight) }

    /// The float32 weight as a matrix: ``weight``, or a copy of the rows read in place.
    package var float32Weight: Matrix { float32Rows.matrix }

    /// Stacks layers that read the same input into one, their outputs side by side in order.
    ///
    /// One matrix product instead of several. Every part must have the same input width; a missing bias counts as zeros.
    public static func concatenating(_ parts: [LinearWeights]) -> LinearWeights {
        guard let first = parts.first else { return LinearWeights(weight: Matrix(rows: 0, columns: 0)) }
        if parts.count == 1 { return first }
        var storage: [Float] = []
        storage.reserveCapacity(parts.reduce(0) { $0 + $1.weight.storage.count })
        for part in parts {
            precondition(part.inputs == first.inputs, "concatenated layers must share their input width")
            precondition(part.inPlace == nil, "layers read in place cannot be concatenated")
            storage += part.weight.storage
        }
        let rows = parts.reduce(0) { $0 + $1.outputs }
        var bias: [Float]? = nil
        if parts.contains(where: { $0.bias != nil }) {
            bias = parts.flatMap { $0.bias ?? [Float](repeating: 0, count: $0.outputs) }
        }
        return LinearWeights(weight: Matrix(rows: rows, columns: first.inputs, storage: storage), bias: bias)
    }
}
