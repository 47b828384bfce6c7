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

    /// Creates a linear layer; `bias`, when given, has `weight.rows` values.
    public init(weight: Matrix, bias: [Float]? = nil) {
        precondition(bias == nil || bias?.count == weight.rows, "bias length must equal the weight's rows")
        self.weight = weight
        self.bias = bias
    }

    /// Output width.
    public var outputs: Int { packedBF16?.rows ?? packedF32?.rows ?? weight.rows }
    /// Input width.
    public var inputs: Int { packedBF16?.columns ?? packedF32?.columns ?? weight.columns }

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
